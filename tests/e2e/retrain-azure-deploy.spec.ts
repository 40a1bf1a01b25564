import { randomInt } from "node:crypto";
import { expect, test } from "@playwright/test";
import { withDatabase } from "./support/database";
import { signInAsManager } from "./support/training-helpers";

/**
 * Azure without management credentials (the demo server has none): a succeeded fine-tune waits on
 * /retrain for a manager to deploy it. The run is put in that state directly (the fine-tuning
 * protocol is driven in tests/integration/azure-deployment.test.ts); the page and its form are real.
 */
test("an Azure fine-tune waiting for its deployment shows the model and the az command; the manager enters the name and the run goes on", async ({ page }) => {
  const week = `2999-W${String(randomInt(1, 53)).padStart(2, "0")}-${randomInt(1e9)}`;
  const model = `gpt-4.1-mini-2025-04-14.ft-${randomInt(1e9)}`;
  const runId = await withDatabase(async (db) => {
    const dataset = await db.query("INSERT INTO datasets (source, split, created_via, settings) VALUES ('worst-prompts', 'all', 'e2e', '{}') RETURNING id");
    const { rows } = await db.query(
      `INSERT INTO retrain_runs (iso_week, status, mode, target, trigger, dataset_id, fine_tune_job_id, fine_tuned_model)
       VALUES ($1, 'awaiting_deployment', 'upload', 'azure', 'cron', $2, 'ftjob-e2e', $3) RETURNING id`,
      [week, dataset.rows[0].id, model],
    );
    return rows[0].id as string;
  });
  await signInAsManager(page, "/retrain");
  const run = page.locator(`#run-${runId}`);
  await expect(run.getByTestId("run-status")).toHaveText("awaiting_deployment");
  const box = run.getByTestId("azure-deployment");
  await expect(box).toContainText("Deploy the model in Azure");
  await expect(box).toContainText(model);
  const name = `feedback-replay-${week.toLowerCase()}`;
  await expect(box.getByTestId("azure-deploy-command")).toContainText(`--deployment-name ${name}`);
  await expect(box.getByTestId("azure-deploy-command")).toContainText(`--model-name ${model}`);

  const input = box.getByLabel("Deployment name");
  await expect(input).toHaveValue(name);
  await input.fill("not a name!");
  await box.getByRole("button", { name: "Deployed: evaluate it" }).click();
  await expect(box.getByRole("alert")).toContainText("A deployment name has only letters, digits");

  await input.fill(`support-${randomInt(1e6)}`);
  const entered = await input.inputValue();
  await box.getByRole("button", { name: "Deployed: evaluate it" }).click();
  await expect(run.getByTestId("run-status")).not.toHaveText("awaiting_deployment");
  await expect(run).toContainText(`Azure deployment: ${entered}`);
  await expect(run.getByTestId("azure-deployment")).toHaveCount(0);
});
