import { randomBytes } from "node:crypto";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { hashPrompt } from "@/lib/feedback/normalize-prompt";
import { withDatabase } from "./support/database";

const word = () => Array.from(randomBytes(6), (b) => "abcdefghijklmnopqrstuvwxyz"[b % 26]).join("");

/** A pending replay whose ticket starts with `prefix`, so that a queue filtered by it shows only this test's. */
async function addReplay(prefix: string) {
  const message = `My ${word()} ${word()} parcel never arrived, what now?`;
  const ticketId = `${prefix}-${word()}`;
  await withDatabase((db) =>
    db.query(
      `INSERT INTO feedback_replay_log (message, ai_reply, ticket_id, topic, model, source, prompt_hash)
       VALUES ($1, $2, $3, 'shipping', 'local-retrieval@v1', 'e2e', $4)`,
      [message, `Reply ${word()} ${word()}.`, ticketId, hashPrompt(message)],
    ),
  );
  return { message, ticketId };
}

async function signedIn(browser: Browser, name: RegExp, path: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(path);
  await expect(page).toHaveURL(/\/signin/);
  await page.getByRole("button", { name }).click();
  await expect(page).toHaveURL(/\/replays/);
  return page;
}

test("two agents share the queue: the second sees who is on a replay, and a new one arrives by push", async ({ browser }) => {
  const prefix = `Q-${word()}`;
  const first = await addReplay(prefix);

  // Ben opens the queue: the replay opens, and it is his.
  const ben = await signedIn(browser, /Ben Okafor/, `/replays?ticket=${prefix}`);
  await expect(ben.getByText(first.message).first()).toBeVisible();
  await expect(ben.getByTestId("reservation")).toContainText("Yours until");

  // Ava's queue shows it as Ben's and opens nothing; opening it says so and keeps Submit off.
  const ava = await signedIn(browser, /Ava Martin/, `/replays?ticket=${prefix}`);
  await expect(ava.getByTestId("replay-workspace")).toHaveAttribute("data-live", "push");
  await expect(ava.getByTestId("queue-item")).toHaveCount(1);
  await expect(ava.getByTestId("queue-item")).toContainText("Ben Okafor is on this");
  await expect(ava.getByText("being worked by other agents")).toBeVisible();
  await ava.getByTestId("queue-item").click();
  await expect(ava.getByTestId("reserved-by-other")).toContainText("Ben Okafor is on this");
  await expect(ava.getByRole("button", { name: /Submit Feedback/ })).toBeDisabled();

  // A new replay reaches Ava's open queue without a reload (push: polling would be every 5 s,
  // and the view says it is on push above).
  const second = await addReplay(prefix);
  await expect(ava.getByTestId("queue-item")).toHaveCount(2, { timeout: 4_000 });
  await expect(ava.getByText(second.message).first()).toBeVisible();

  // Ben lets go (u): Ava's view sees the replay free and takes it.
  await ben.keyboard.press("u");
  await expect(ava.getByTestId("reserved-by-other")).toHaveCount(0);
  await expect(ava.getByTestId("reservation")).toContainText("Yours until");
  await expect(ava.getByRole("button", { name: /Submit Feedback/ })).toBeEnabled();

  const holder = await withDatabase(async (db) => {
    const { rows } = await db.query(
      `SELECT u.name FROM replay_reservations v JOIN users u ON u.id = v.agent_id JOIN feedback_replay_log r ON r.id = v.replay_id WHERE r.ticket_id = $1`,
      [first.ticketId],
    );
    return rows.map((r) => r.name);
  });
  expect(holder).toEqual(["Ava Martin"]);

  // Leaving the page lets go too.
  await ava.close();
  await expect
    .poll(() => withDatabase(async (db) => (await db.query(`SELECT count(*)::int AS n FROM replay_reservations v JOIN feedback_replay_log r ON r.id = v.replay_id WHERE r.ticket_id = $1`, [first.ticketId])).rows[0].n))
    .toBe(0);
});

test("an agent who leaves the replay view by a header link lets go of the open replay", async ({ browser }) => {
  const prefix = `Q-${word()}`;
  const replay = await addReplay(prefix);
  const held = () =>
    withDatabase(async (db) => (await db.query(`SELECT count(*)::int AS n FROM replay_reservations v JOIN feedback_replay_log r ON r.id = v.replay_id WHERE r.ticket_id = $1`, [replay.ticketId])).rows[0].n);

  const ben = await signedIn(browser, /Ben Okafor/, `/replays?ticket=${prefix}`);
  await expect(ben.getByTestId("reservation")).toContainText("Yours until");
  expect(await held()).toBe(1);

  // A navigation inside the app: no pagehide, the view unmounts.
  await ben.getByRole("link", { name: "History" }).click();
  await expect(ben).toHaveURL(/\/history/);
  await expect.poll(held).toBe(0);
  await ben.context().close();
});
