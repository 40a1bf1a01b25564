import { expect, test } from "@playwright/test";
import { withDatabase } from "./support/database";

/** The ISO week as the app computes it (lib/retrain/iso-week.ts), UTC. */
function isoWeekNow(): string {
  const now = new Date();
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  day.setUTCDate(day.getUTCDate() + 4 - (day.getUTCDay() || 7));
  const week = Math.ceil(((day.getTime() - Date.UTC(day.getUTCFullYear(), 0, 1)) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

test("a manager runs the local retrain cycle from the page: run, approve, evaluation, promote, roll back", async ({ page }) => {
  const week = isoWeekNow();
  // One run per ISO week: clear this week's from an earlier e2e run (the data directory is kept).
  await withDatabase(async (db) => {
    await db.query("DELETE FROM retrain_runs WHERE iso_week = $1", [week]);
    await db.query("DELETE FROM model_versions WHERE name = 'local-learned' AND version = $1 AND NOT is_active", [week]);
  });
  await page.goto("/retrain");
  await page.getByRole("button", { name: /Maya Chen/ }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/signin"));
  if (!page.url().endsWith("/retrain")) await page.goto("/retrain");

  await page.getByRole("button", { name: "Run now" }).click();
  const run = page.getByTestId("retrain-run").filter({ hasText: week });
  await expect(run.getByTestId("run-status")).toHaveText("held");
  await expect(run).toContainText(/worst prompts → \d+ examples/);

  await run.getByRole("button", { name: "Approve & build version" }).click();
  await expect(run.getByTestId("run-status")).toHaveText("succeeded");
  const evaluation = run.getByTestId("evaluation");
  await expect(evaluation).toContainText(`local-learned@${week}`);
  await expect(evaluation.getByTestId("evaluation-decision")).toHaveText("pending");

  await evaluation.getByRole("button", { name: "Promote" }).click();
  await expect(evaluation.getByTestId("evaluation-decision")).toHaveText("promoted");
  await page.goto("/models");
  await expect(page.getByTestId("model-version").filter({ hasText: `local-learned@${week}` })).toContainText("Active");

  await page.goto("/retrain");
  await run.getByTestId("evaluation").getByRole("button", { name: "Roll back" }).click();
  await expect(run.getByTestId("evaluation").getByTestId("evaluation-decision")).toHaveText("rolled back");
  await page.goto("/models");
  await expect(page.getByTestId("model-version").filter({ hasText: `local-learned@${week}` })).not.toContainText("Active");
});
