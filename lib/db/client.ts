import "server-only";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import { describeUnstorableText } from "@/lib/api/find-unstorable-text";
import { readEnv } from "@/lib/env";
import { UserError } from "@/lib/errors";
import * as schema from "@/lib/db/schema";

export type Database = NodePgDatabase<typeof schema>;

type Handle = { pool: pg.Pool; db: Database };

// One pool per process, kept on globalThis so that hot reload in development does not leak pools.
const holder = globalThis as unknown as { __feedbackReplayDb?: Handle; __feedbackReplayDbUrl?: string };

/** Scripts that started or found the database themselves (start, CLI, tests) point the pool at it. */
export function useDatabaseUrl(url: string): void {
  holder.__feedbackReplayDbUrl = url;
}

function unstorableParameter(values: unknown): UserError | null {
  if (!Array.isArray(values)) return null;
  for (const value of values) {
    const problem = typeof value === "string" ? describeUnstorableText(value) : null;
    if (problem) return new UserError({ code: "invalid_text", message: `A text field ${problem}.` });
  }
  return null;
}

/**
 * The last line of the text rule, under every path that reaches the database: a string
 * parameter with a NUL (PostgreSQL refuses it: a 500 before) or a lone surrogate (node-postgres
 * would store U+FFFD) is a 400 `invalid_text`, and the query is never sent. Schemas and
 * parseJsonBody name the field first; this catches what they do not cover.
 */
class CheckedClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    // A checked-out client (a transaction, the retrain's advisory-lock session) that loses its
    // server between queries emits "error"; with no listener that is an uncaught exception and the
    // whole process dies. The client is marked broken, its next query fails as an outage (503),
    // and the pool drops it on release.
    this.on("error", (error: Error) => console.error("[db] connection lost:", error.message));
  }

  // @ts-expect-error pg's overloads cannot be re-declared one by one; this forwards all of them.
  override query(config: unknown, values?: unknown, callback?: unknown) {
    const refused = unstorableParameter(Array.isArray(values) ? values : (config as { values?: unknown } | null)?.values);
    if (refused) {
      const done = typeof values === "function" ? values : typeof callback === "function" ? callback : null;
      if (done) return void process.nextTick(() => (done as (error: Error) => void)(refused));
      return Promise.reject(refused);
    }
    // @ts-expect-error see above
    return super.query(config, values, callback);
  }
}

/** The database this process uses (for a connection of its own, such as the queue's LISTEN). */
export function databaseUrl(): string {
  const url = holder.__feedbackReplayDbUrl ?? readEnv().DATABASE_URL;
  if (!url) {
    throw new Error(
      "DATABASE_URL is not set. Start the app with `npm start` (it starts the embedded database), or set DATABASE_URL.",
    );
  }
  return url;
}

function connect(): Handle {
  const env = readEnv();
  const url = databaseUrl();
  const pool = new pg.Pool({
    connectionString: url,
    max: env.DATABASE_POOL_MAX,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
    Client: CheckedClient as unknown as typeof pg.Client,
  });
  // An idle client losing its connection must not crash the server; the next query reconnects.
  pool.on("error", (error) => console.error("[db] idle client error:", error.message));
  return { pool, db: drizzle(pool, { schema }) };
}

export function getDb(): Database {
  holder.__feedbackReplayDb ??= connect();
  return holder.__feedbackReplayDb.db;
}

export function getPool(): pg.Pool {
  holder.__feedbackReplayDb ??= connect();
  return holder.__feedbackReplayDb.pool;
}

export async function closeDb(): Promise<void> {
  const handle = holder.__feedbackReplayDb;
  holder.__feedbackReplayDb = undefined;
  await handle?.pool.end();
}
