import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { createPendingReplay, withDatabase } from "./support/database";

/** Made-up words (letters only), so this run's messages match only each other. */
const words = () => Array.from({ length: 3 }, () => [...randomBytes(9)].map((b) => String.fromCharCode(97 + (b % 26))).join("")).join(" ");

async function signIn(page: Page, name: RegExp, path: string) {
  await page.goto(path);
  await page.getByRole("button", { name }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/signin"));
  if (!page.url().includes(path.split("?")[0]!)) await page.goto(path);
}

test("r asks the local model for a fresh suggestion, which uses the team's latest correction", async ({ page }) => {
  const subject = words();
  // An agent's earlier "not useful" with their better reply, as the helpdesk stores it: the replay
  // (not yet grouped: grouping runs after the write) and its training example.
  await withDatabase((db) =>
    db.query(
      `WITH r AS (
         INSERT INTO feedback_replay_log (message, ai_reply, agent_reply, feedback, status, submitted_at, source, prompt_hash)
         VALUES ($1, 'Please wait.', $2, 'no', 'submitted', now(), 'e2e', md5($1)) RETURNING id
       )
       INSERT INTO training_log (prompt, completion, status, replay_id) SELECT $1, $2, 'ready', id FROM r`,
      [`My ${subject} order never arrived`, `So sorry! I've reshipped your ${subject} order by express today.`],
    ),
  );
  const replay = await createPendingReplay(`Hello, my ${subject} order never arrived, where is it?`);
  await signIn(page, /Ava Martin/, `/replays?ticket=${replay.ticketId}`);
  await expect(page.getByTestId("ai-reply")).toHaveText("Your parcel is on its way!");

  await page.getByTestId("queue-item").click();
  await page.keyboard.press("r");
  await expect(page.getByTestId("ai-reply")).toHaveText(`So sorry! I've reshipped your ${subject} order by express today.`);
  await expect(page.getByTestId("local-model")).toBeVisible();

  const stored = await withDatabase(async (db) => {
    const { rows } = await db.query(
      `SELECT r.ai_reply, r.model, v.provider FROM feedback_replay_log r JOIN model_versions v ON v.id = r.model_version_id WHERE r.id = $1`,
      [replay.id],
    );
    return rows[0];
  });
  // The demo's loop leaves a local version active (retrieval, or one its retrains promoted).
  expect(stored).toEqual({ ai_reply: `So sorry! I've reshipped your ${subject} order by express today.`, model: expect.stringMatching(/^local-/), provider: "local" });
});

test("a 'not useful' is explained beside the replay in History, and the agent can correct the category", async ({ page }) => {
  const replay = await createPendingReplay();
  await signIn(page, /Ava Martin/, `/replays?ticket=${replay.ticketId}`);
  await page.getByTestId("queue-item").click();
  await page.keyboard.press("n");
  await expect(page.getByRole("radio", { name: /Not useful/ })).toHaveAttribute("aria-checked", "true");
  await page.keyboard.press("e");
  await page.keyboard.type("So sorry! I've reshipped it by express today; tracking follows within the hour.");
  await page.keyboard.press("Control+Enter");
  await expect(page.getByTestId("banner")).toContainText("training example");

  // The header's History link, clicked while the live queue changes: the submit itself, and here a
  // new replay arriving while History's page is on its way (held until the queue has fetched again,
  // as on a slow network). A queue fetch used to rewrite the URL with history.replaceState, which
  // Next.js turns into a router "restore" that cancels the navigation in flight: the click did nothing.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  let clicked = false;
  await page.route(
    (url) => url.pathname === "/history",
    async (route) => {
      if (clicked && route.request().headers()["rsc"]) await held;
      await route.continue();
    },
  );
  const refetched = page.waitForRequest((request) => new URL(request.url()).pathname === "/api/queue");
  clicked = true;
  await page.getByRole("link", { name: "History" }).click();
  await createPendingReplay();
  await refetched;
  release();
  await expect(page).toHaveURL(/\/history$/);
  const card = page.getByTestId("history-item").filter({ hasText: replay.message });
  await expect(card.getByTestId("analysis")).toBeVisible();
  // The analysis runs after the response; the page shows it once done (reload until then).
  await expect(async () => {
    await page.reload();
    await expect(card.getByTestId("analysis-category")).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(card.getByTestId("analysis")).toContainText("local heuristic");

  await card.getByLabel("Your category").selectOption("wrong_tone");
  await expect(card.getByRole("status")).toHaveText("Saved.");
  const stored = await withDatabase(async (db) => {
    const { rows } = await db.query("SELECT status, category, agent_category, provider FROM failure_analyses WHERE replay_id = $1", [replay.id]);
    return rows[0];
  });
  expect(stored).toMatchObject({ status: "done", agent_category: "wrong_tone", provider: "local" });
});

test("managers switch the active model on /models; agents may not open it", async ({ page, browser }) => {
  const version = `e2e-${words().split(" ")[0]}`;
  await withDatabase((db) => db.query(`INSERT INTO model_versions (provider, name, version, notes) VALUES ('local', 'local-retrieval', $1, 'e2e')`, [version]));
  // The version active now: the demo's loop may have promoted a retrained one.
  const active = await withDatabase(async (db) => (await db.query("SELECT name || '@' || version AS label FROM model_versions WHERE is_active")).rows[0].label as string);
  try {
    await signIn(page, /Maya Chen/, "/models");
    await expect(page.getByTestId("provider-status")).toContainText("Local only");
    const current = page.getByTestId("model-version").filter({ hasText: active });
    const candidate = page.getByTestId("model-version").filter({ hasText: `local-retrieval@${version}` });
    await expect(current).toContainText("Active");

    await candidate.getByRole("button", { name: `Make local-retrieval@${version} active` }).click();
    await expect(candidate).toContainText("Active");
    await expect(candidate).toContainText("by Maya Chen");
    await expect(current).not.toContainText("Active");
    await current.getByRole("button", { name: `Make ${active} active` }).click();
    await expect(current).toContainText("Active");
  } finally {
    await withDatabase(async (db) => {
      await db.query("UPDATE model_versions SET is_active = true WHERE name || '@' || version = $1 AND NOT EXISTS (SELECT 1 FROM model_versions WHERE is_active)", [active]);
      await db.query("DELETE FROM model_versions WHERE version = $1 AND NOT is_active", [version]);
    });
  }

  const agent = await browser.newPage();
  await signIn(agent, /Ben Okafor/, "/models");
  await expect(agent).toHaveURL(/\/forbidden/);
  await agent.close();
});
