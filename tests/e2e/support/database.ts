import { randomUUID } from "node:crypto";
import pg from "pg";
import { embeddedUrl, runningEmbeddedPort } from "@/lib/db/embedded-address";
import { hashPrompt } from "@/lib/feedback/normalize-prompt";

/** The e2e run's database: the one the app under test started (demo server, or the SSO one). */
export async function withDatabase<T>(work: (client: pg.Client) => Promise<T>, dataDir = ".data/e2e"): Promise<T> {
  const port = runningEmbeddedPort(`${dataDir}/postgres`);
  if (!port) throw new Error(`The e2e app's embedded PostgreSQL is not running (${dataDir}/postgres)`);
  const client = new pg.Client({ connectionString: embeddedUrl(port) });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A pending replay with a unique ticket id, so that the test can filter the queue down to it. */
export async function createPendingReplay(message = `My parcel ${randomUUID().slice(0, 8)} never arrived, what now?`, dataDir?: string) {
  const ticketId = `E2E-${randomUUID()}`;
  const id = await withDatabase(async (db) => {
    const { rows } = await db.query(
      `INSERT INTO feedback_replay_log (message, ai_reply, ticket_id, topic, model, source, prompt_hash)
       VALUES ($1, 'Your parcel is on its way!', $2, 'shipping', 'local-retrieval@v1', 'e2e', $3) RETURNING id`,
      [message, ticketId, hashPrompt(message)],
    );
    return rows[0].id as string;
  }, dataDir);
  return { id, ticketId, message };
}
