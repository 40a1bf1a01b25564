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

test("a manager switches the target to Together (DPO) on /retrain, runs a retrain against its protocol, and sees the job succeed and the new version appear", async ({ page, request }) => {
  const week = isoWeekNow();
  // One run per ISO week: clear this week's from an earlier e2e run (the data directory is kept),
  // and an earlier run's choice on the page, so the configuration is in force to begin with.
  await withDatabase(async (db) => {
    await db.query("DELETE FROM retrain_runs WHERE iso_week = $1", [week]);
    await db.query("DELETE FROM model_versions WHERE provider = 'together' AND version = $1 AND NOT is_active", [week]);
    await db.query("DELETE FROM retrain_settings");
  }, DATA_DIR);
  await page.goto("/retrain");
  await page.getByRole("button", { name: /Maya Chen/ }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/signin"));
  if (!page.url().endsWith("/retrain")) await page.goto("/retrain");

  // From the configuration: the local target. Together is offered (its key is set); the targets
  // without their variables are named with what they need.
  const inForce = page.getByTestId("target-in-force");
  await expect(inForce).toContainText("Local learned model");
  await expect(inForce).toContainText("From the configuration");
  const targetSelect = page.getByLabel("Fine-tune target");
  await expect(targetSelect.locator("option")).toHaveText(["Together AI", "Local learned model", "Hold for download"]);
  await expect(page.getByTestId("unconfigured-targets")).toContainText("Fireworks AI: set FIREWORKS_API_KEY and FIREWORKS_ACCOUNT_ID");

  // The switch: Together, DPO, the configured base model.
  await targetSelect.selectOption({ label: "Together AI" });
  await page.getByLabel("Training method").selectOption({ label: "DPO (agent reply preferred over the AI's)" });
  await page.getByRole("button", { name: "Use for the next runs" }).click();
  await expect(page.getByRole("status").filter({ hasText: "From the next run on: Together AI, DPO." })).toBeVisible();
  await expect(inForce).toContainText("Together AI: DPO (agent reply preferred over the AI's) of meta-llama/Meta-Llama-3.1-8B-Instruct-Reference");
  await expect(inForce).toContainText(/Chosen on this page by .+@/);

  // What the next fine-tune would hold, in preference pairs, and its price where one is configured.
  await expect(page.getByTestId("next-fine-tune-summary")).toContainText(/\d+ preference pairs \(from \d+ examples\) from \d+ worst prompts/);
  await expect(page.getByRole("row", { name: /Together AI \(in force\)/ })).toContainText("$");
  await expect(page.getByRole("row", { name: /Fireworks AI/ })).toContainText("price not configured: set FINE_TUNE_PRICES=fireworks=");
  await expect(page.getByTestId("grouping-status")).toContainText("Counted on the prompt groups as stored");

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

  await expect(run).toContainText(/preference pairs \(\d+ train, \d+ validation\)/);
  // For a look at the page as a manager sees it (a tall window: the sticky header stays on top).
  await page.setViewportSize({ width: 1280, height: 1500 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: "/tmp/retrain.png" });

  await page.goto("/models");
  await expect(page.getByTestId("model-version").filter({ hasText: `@${week}` }).filter({ hasText: "fakeuser/" })).toBeVisible();

  // Back to the configuration: the page says so, and offers the switch again.
  await page.goto("/retrain");
  await page.getByRole("button", { name: "Back to the configuration" }).click();
  await expect(inForce).toContainText("From the configuration");
  await expect(inForce).toContainText("Local learned model");
});
