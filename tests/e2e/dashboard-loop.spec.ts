import { expect, test } from "@playwright/test";
import { withDatabase } from "./support/database";
import { createApiKey, signInAsManager, words } from "./support/training-helpers";

/*
 * The dashboard's loop panels on this run's own data: six "not useful" replays of a topic of their
 * own (the AI engine's self-critique runs on each after the write), and a retrain run of its own.
 */
const topic = `e2e-loop-${words(2).replace(" ", "-")}`;
const question = words(4);
const REPLAYS = 6;

test.beforeAll(async ({ request }) => {
  const key = createApiKey();
  for (let i = 0; i < REPLAYS; i++) {
    const response = await request.post("/api/feedback-replay", {
      headers: { authorization: `Bearer ${key}` },
      data: { message: `My ${question} never came`, aiReply: "Please wait.", agentReply: `Reply ${words(3)}.`, feedback: "no", topic },
    });
    expect(response.status()).toBe(201);
  }
  // The self-critiques run in the background after each write.
  await expect
    .poll(
      () =>
        withDatabase(async (db) => {
          const { rows } = await db.query(
            `SELECT count(*)::int AS n FROM failure_analyses fa JOIN feedback_replay_log r ON r.id = fa.replay_id WHERE r.topic = $1 AND fa.status = 'done'`,
            [topic],
          );
          return rows[0].n as number;
        }),
      { timeout: 60_000 },
    )
    .toBe(REPLAYS);
});

test("a manager opens each loop panel's table and follows its numbers to the replays, the run and its evaluation", async ({ page }) => {
  const week = `e2e-${words(1)}`;
  const runId = await withDatabase(async (db) => {
    const { rows } = await db.query(
      `INSERT INTO retrain_runs (iso_week, status, mode, target, trigger) VALUES ($1, 'held', 'review', 'local', 'cli') RETURNING id`,
      [week],
    );
    return rows[0].id as string;
  });

  await signInAsManager(page, `/dashboard?topic=${topic}`);

  // Why the AI failed: every analysis of this topic is counted; the count opens exactly those replays.
  const failures = page.getByTestId("panel-failures");
  await failures.scrollIntoViewIfNeeded();
  await expect(failures.locator("svg.recharts-surface").first()).toBeVisible();
  await expect(failures.getByTestId("failure-explanation").first()).toBeVisible();
  await failures.getByRole("tab", { name: "Table" }).click();
  const all = failures.getByRole("row").filter({ hasText: "all categories" });
  await expect(all.getByRole("cell").nth(1)).toHaveText(String(REPLAYS));
  await all.getByRole("link", { name: String(REPLAYS) }).click();
  await expect(page).toHaveURL(/\/history\?.*feedback=no/);
  await expect(page.getByTestId("history-narrowed")).toContainText(`topic ${topic}`);
  await expect(page.getByTestId("history-item")).toHaveCount(REPLAYS);
  await expect(page.getByTestId("history-item").first()).toContainText(question);

  // The stages: "marked not useful" opens the same replays.
  await page.goBack();
  const funnel = page.getByTestId("panel-funnel");
  await funnel.getByRole("tab", { name: "Table" }).click();
  const notUseful = funnel.getByRole("row").filter({ hasText: "Marked not useful" });
  await expect(notUseful.getByRole("cell").nth(1)).toHaveText(String(REPLAYS));
  await expect(funnel.getByRole("row").filter({ hasText: "In a promoted model" })).toBeVisible();
  await notUseful.getByRole("link", { name: String(REPLAYS) }).click();
  await expect(page.getByTestId("history-item")).toHaveCount(REPLAYS);

  // Fine-tune jobs: this run is listed; its week opens the run on /retrain.
  await page.goBack();
  const runs = page.getByTestId("panel-runs");
  await expect(runs.getByTestId("dashboard-run").filter({ hasText: week })).toContainText("local · held");
  await runs.getByRole("tab", { name: "Table" }).click();
  await runs.getByRole("link", { name: week }).click();
  await expect(page).toHaveURL(new RegExp(`/retrain#run-${runId}`));
  await expect(page.locator(`[id="run-${runId}"]`)).toContainText(week);
});

test("the review page shows the AI's analysis of a miss, and a failed one can be run again", async ({ page }) => {
  const groupId = await withDatabase(async (db) => {
    const { rows } = await db.query("SELECT prompt_group_id FROM feedback_replay_log WHERE topic = $1 AND prompt_group_id IS NOT NULL LIMIT 1", [topic]);
    return rows[0]?.prompt_group_id as string | undefined;
  });
  expect(groupId).toBeTruthy();
  await signInAsManager(page, `/training/review?group=${groupId}&status=all&scope=all`);
  const slot = page.getByTestId("self-critique-slot");
  await expect(slot.locator('[data-analysis-status="done"]')).toBeVisible();
  await expect(slot.getByTestId("analysis-category")).not.toBeEmpty();
  await expect(slot.getByTestId("analysis-agent-category")).toContainText("no agent has checked the category yet");
  await expect(slot).toContainText("Suggested fix:");

  // The analysis failed (the provider was down, say): the slot says so and runs it again on request.
  await withDatabase((db) =>
    db.query(
      `UPDATE failure_analyses SET status = 'failed', last_error = 'The model did not answer in time.', category = NULL, explanation = NULL, suggested_fix = NULL
       WHERE replay_id IN (SELECT id FROM feedback_replay_log WHERE topic = $1)`,
      [topic],
    ),
  );
  await page.reload();
  await expect(slot.locator('[data-analysis-status="failed"]')).toContainText("The model did not answer in time.");
  await slot.getByRole("button", { name: "Retry now" }).click();
  await expect(slot.locator('[data-analysis-status="done"]')).toBeVisible();
  await expect(slot.getByTestId("analysis-category")).not.toBeEmpty();
});
