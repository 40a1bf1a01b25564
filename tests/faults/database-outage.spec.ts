import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import pg from "pg";
import { hashPrompt } from "@/lib/feedback/normalize-prompt";
import { E2E_FAULTS_CONTROL_PORT } from "../../playwright.config";

const control = (action: string) => fetch(`http://127.0.0.1:${E2E_FAULTS_CONTROL_PORT}/${action}`, { method: action === "url" ? "GET" : "POST" }).then((r) => r.text());

async function query<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: await control("url") });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

async function pendingReplay() {
  const message = `My parcel ${randomUUID().slice(0, 8)} never arrived, what now?`;
  const ticketId = `FAULT-${randomUUID()}`;
  const [row] = await query<{ id: string }>(
    `INSERT INTO feedback_replay_log (message, ai_reply, ticket_id, topic, model, source, prompt_hash)
     VALUES ($1, 'Your parcel is on its way!', $2, 'shipping', 'local-retrieval@v1', 'e2e', $3) RETURNING id`,
    [message, ticketId, hashPrompt(message)],
  );
  return { id: row!.id, ticketId, message };
}

async function signInAsAgent(page: Page, path: string) {
  await page.goto(path);
  await expect(page).toHaveURL(/\/signin/);
  await page.getByRole("button", { name: /Ava Martin/ }).click();
  await expect(page).toHaveURL(/\/replays/);
}

test.afterEach(async () => {
  await control("start"); // whatever a test did, the next one finds the database up
});

test("the database stops while an agent works: the draft stays in the browser, pages say so calmly, and the retry stores once", async ({ page, browser }) => {
  const replay = await pendingReplay();
  await signInAsAgent(page, `/replays?ticket=${replay.ticketId}`);
  const reply = "So sorry! I have reshipped it with express delivery today.";
  await page.getByLabel("Agent Final Reply").fill(reply);
  await page.getByRole("radio", { name: /Not useful/ }).click();

  await control("stop-fast");
  await page.getByRole("button", { name: /Submit Feedback/ }).click();
  await expect(page.getByTestId("banner")).toContainText("The database is unavailable right now");
  await expect(page.getByTestId("banner")).toContainText("kept in this browser");
  await expect(page.getByLabel("Agent Final Reply")).toHaveValue(reply);

  // A page rendered meanwhile (the agent reloads): a calm message and a retry, not "This page couldn't load".
  await page.reload();
  await expect(page.getByRole("heading", { name: "The database is unavailable right now" })).toBeVisible();
  await expect(page.getByText("Your work is kept")).toBeVisible();
  // So does sign-in, for someone signed out.
  const other = await browser.newPage();
  await other.goto("/signin");
  await expect(other.getByRole("heading", { name: "The database is unavailable right now" })).toBeVisible();
  await other.close();

  await control("start");
  await page.getByRole("button", { name: "Try again" }).click();
  await expect(page.getByLabel("Agent Final Reply")).toHaveValue(reply);
  await page.getByRole("button", { name: /Submit Feedback/ }).click();
  await expect(page.getByTestId("banner")).toContainText("training example");

  const rows = await query<{ n: number }>("SELECT count(*)::int AS n FROM training_log WHERE replay_id = $1", [replay.id]);
  expect(rows[0]!.n).toBe(1);
});
