import "server-only";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import { readEnv } from "@/lib/env";
import * as schema from "@/lib/db/schema";

export type Database = NodePgDatabase<typeof schema>;

type Handle = { pool: pg.Pool; db: Database };

// One pool per process, kept on globalThis so that hot reload in development does not leak pools.
const holder = globalThis as unknown as { __feedbackReplayDb?: Handle; __feedbackReplayDbUrl?: string };

/** Scripts that started or found the database themselves (start, CLI, tests) point the pool at it. */
export function useDatabaseUrl(url: string): void {
  holder.__feedbackReplayDbUrl = url;
}

function connect(): Handle {
  const env = readEnv();
  const url = holder.__feedbackReplayDbUrl ?? env.DATABASE_URL;
  if (!url) {
    throw new Error(
      "DATABASE_URL is not set. Start the app with `npm start` (it starts the embedded database), or set DATABASE_URL.",
    );
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: env.DATABASE_POOL_MAX,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
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
