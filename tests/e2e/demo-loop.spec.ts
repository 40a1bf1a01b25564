import { expect, test } from "@playwright/test";
import { withDatabase } from "./support/database";
import { signInAsManager } from "./support/training-helpers";

/**
 * The demo seed replays the loop (lib/demo/): its usefulness chart has one line per model version
 * that wrote suggestions in the default view, beside the overall line, and the retrain page shows
 * the runs it made: promotions, evaluations the candidate lost, and the rollback.
 */
test("the demo's usefulness chart draws one line per model version, and /retrain shows the demo's weekly runs", async ({ page }) => {
  const versions = await withDatabase(async (db) => {
    const { rows } = await db.query<{ model: string }>(
      `SELECT DISTINCT model FROM feedback_replay_log
       WHERE status = 'submitted' AND created_at >= (now() at time zone 'UTC')::date - 83 AND model IS NOT NULL ORDER BY 1`,
    );
    return rows.map((r) => r.model);
  });
  // The demo's story: the retrieval-only version and at least two promoted local versions.
  expect(versions).toContain("local-retrieval@v1");
  expect(versions.filter((v) => v.startsWith("local-learned@")).length).toBeGreaterThanOrEqual(2);

  await signInAsManager(page, "/dashboard");
  const panel = page.getByTestId("panel-usefulness");
  await expect(panel.locator("svg .recharts-line").first()).toBeVisible();
  const legend = (await panel.locator(".recharts-legend-item-text").allTextContents()).filter((t) => t !== "All models");
  expect(legend.sort()).toEqual(versions);
  await expect(panel.locator("svg .recharts-line")).toHaveCount(versions.length + 1);

  await page.goto("/retrain");
  const decisions = await page.getByTestId("evaluation-decision").allTextContents();
  expect(decisions).toContain("promoted");
  expect(decisions).toContain("rolled back");
  expect(decisions).toContain("discarded");
});
