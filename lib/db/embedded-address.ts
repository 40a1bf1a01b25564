import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * Where the embedded server of a data directory listens. No "server-only" here: the e2e tests
 * (plain Node) use it to reach the database of the app they drive.
 */
export const EMBEDDED_USER = "postgres";
// Loopback-only, local development server: the password only keeps other local users out of
// a database that holds demo data. Production sets DATABASE_URL and never reaches this file.
export const EMBEDDED_PASSWORD = "feedback-replay-local";
export const EMBEDDED_DATABASE = "feedback_replay";

export function embeddedUrl(port: number, database = EMBEDDED_DATABASE): string {
  return `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${database}`;
}

/** Port of a server already running on this data directory (the app's, seen from the CLI). */
export function runningEmbeddedPort(dataDir: string): number | undefined {
  const pidFile = path.join(path.resolve(dataDir), "postmaster.pid");
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
