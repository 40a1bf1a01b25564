import { expect, test, type Page } from "@playwright/test";
import { createPendingReplay, withDatabase } from "./support/database";

async function signInAsAgent(page: Page, path: string) {
  await page.goto(path);
  await expect(page).toHaveURL(/\/signin/);
  await expect(page.getByTestId("demo-mode")).toBeVisible();
  await page.getByRole("button", { name: /Ava Martin/ }).click();
  await expect(page).toHaveURL(/\/replays/);
}

test("an agent marks a replay not useful, types a better reply and submits with the keyboard", async ({ page }) => {
  const replay = await createPendingReplay();
  await signInAsAgent(page, `/replays?ticket=${replay.ticketId}`);

  await expect(page.getByTestId("queue-item")).toHaveCount(1);
  await expect(page.getByText(replay.message).first()).toBeVisible();
  await expect(page.getByText("AI Suggested Reply")).toBeVisible();

  await page.getByTestId("queue-item").click();
  await page.keyboard.press("n");
  await expect(page.getByRole("radio", { name: /Not useful/ })).toHaveAttribute("aria-checked", "true");
  await page.keyboard.press("e");
  await page.keyboard.type("So sorry! I have reshipped it with express delivery today.");
  await page.keyboard.press("Control+Enter");

  await expect(page.getByTestId("banner")).toContainText("training example");
  await expect(page.getByTestId("queue-item")).toHaveCount(0);

  const stored = await withDatabase(async (db) => {
    const { rows } = await db.query(
      `SELECT r.status, r.feedback, r.agent_reply, r.agent_email, t.prompt, t.completion, t.status AS example_status
       FROM feedback_replay_log r LEFT JOIN training_log t ON t.replay_id = r.id WHERE r.id = $1`,
      [replay.id],
    );
    return rows;
  });
  expect(stored).toEqual([
    {
      status: "submitted",
      feedback: "no",
      agent_reply: "So sorry! I have reshipped it with express delivery today.",
      agent_email: "ava.agent@example.com",
      prompt: replay.message,
      completion: "So sorry! I have reshipped it with express delivery today.",
      example_status: "ready",
    },
  ]);
});

test("a typed reply survives a reload and a failed submit, and a retry stores it once", async ({ page }) => {
  const replay = await createPendingReplay();
  await signInAsAgent(page, `/replays?ticket=${replay.ticketId}`);
  await page.getByLabel("Agent Final Reply").fill("Draft that must not be lost.");
  await page.reload();
  await expect(page.getByLabel("Agent Final Reply")).toHaveValue("Draft that must not be lost.");

  // The server goes away: the submit fails, the reply stays, a retry banner appears.
  await page.route("**/replays**", (route) => (route.request().method() === "POST" ? route.abort("connectionrefused") : route.continue()));
  await page.getByRole("radio", { name: /Not useful/ }).click();
  await page.getByRole("button", { name: /Submit Feedback/ }).click();
  await expect(page.getByTestId("banner")).toContainText("kept in this browser");
  await expect(page.getByLabel("Agent Final Reply")).toHaveValue("Draft that must not be lost.");

  await page.unroute("**/replays**");
  await page.getByRole("button", { name: "Retry" }).click();
  await expect(page.getByTestId("banner")).toContainText("Saved");

  const count = await withDatabase(async (db) => {
    const { rows } = await db.query("SELECT count(*)::int AS n FROM training_log WHERE replay_id = $1", [replay.id]);
    return rows[0].n;
  });
  expect(count).toBe(1);
});

test("a new replay appears in the open queue without a reload", async ({ page }) => {
  const first = await createPendingReplay();
  await signInAsAgent(page, "/replays?order=newest");
  await expect(page.getByTestId("queue-item").first()).toContainText(first.message.slice(0, 20));
  const second = await createPendingReplay();
  await expect(page.getByTestId("queue-item").first()).toContainText(second.message.slice(0, 20), { timeout: 15_000 });
});

test("health answers ok", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: "ok" });
});
