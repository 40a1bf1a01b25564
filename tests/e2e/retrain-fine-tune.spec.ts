import { expect, test } from "@playwright/test";
import { E2E_FINETUNE_CRON_SECRET } from "../../playwright.config";
import { withDatabase } from "./support/database";

const DATA_DIR = ".data/e2e-finetune";

/** The ISO week as the app computes it (lib/retrain/iso-week.ts), UTC. */
function isoWeekNow(): string {
  const now = new Date();
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  day.setUTCDate(day.getUTCDate() + 4 - (day.getUTCDay() || 7));
  const week = Math.ceil(((day.getTime() - Date.UTC(day.getUTCFullYear(), 0, 1)) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

test("a manager sees the Together target, runs a DPO retrain against its protocol, and sees the job succeed and the new version appear", async ({ page, request }) => {
  const week = isoWeekNow();
  // One run per ISO week: clear this week's from an earlier e2e run (the data directory is kept).
  await withDatabase(async (db) => {
    await db.query("DELETE FROM retrain_runs WHERE iso_week = $1", [week]);
    await db.query("DELETE FROM model_versions WHERE provider = 'together' AND version = $1 AND NOT is_active", [week]);
  }, DATA_DIR);
  await page.goto("/retrain");
  await page.getByRole("button", { name: /Maya Chen/ }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/signin"));
  if (!page.url().endsWith("/retrain")) await page.goto("/retrain");

  // The target, from the configuration, and what the next fine-tune would cost there.
  await expect(page.getByText("Together AI: DPO (agent reply preferred over the AI's) of meta-llama/Meta-Llama-3.1-8B-Instruct-Reference")).toBeVisible();
  await expect(page.getByTestId("next-fine-tune-summary")).toContainText(/\d+ preference pairs from \d+ worst prompts/);
  await expect(page.getByRole("row", { name: /Together AI \(configured\)/ })).toContainText("$");

  await page.getByRole("button", { name: "Run now" }).click();
  const run = page.getByTestId("retrain-run").filter({ hasText: week });
  await expect(run.getByTestId("run-status")).toHaveText("held");
  await expect(run).toContainText("Together AI · dpo");
  await run.getByRole("button", { name: "Approve & upload" }).click();
  await expect(run.getByTestId("run-status")).toHaveText("training");

  // The scheduler's half-hourly poll, called until the job is done (each read advances the fake job).
  await expect(async () => {
    const polled = await request.get("/api/cron/fine-tunes", { headers: { authorization: `Bearer ${E2E_FINETUNE_CRON_SECRET}` } });
    expect(polled.status()).toBe(200);
    await page.reload();
    await expect(run.getByTestId("run-status")).toHaveText("succeeded", { timeout: 1_000 });
  }).toPass({ timeout: 45_000 });
  await expect(run).toContainText(/Fine-tuned model: fakeuser\/Meta-Llama-3\.1-8B-Instruct-Reference-replay-/);
  await expect(run.getByTestId("evaluation")).toContainText(`@${week}`);

  await page.goto("/models");
  await expect(page.getByTestId("model-version").filter({ hasText: `@${week}` }).filter({ hasText: "fakeuser/" })).toBeVisible();
});
