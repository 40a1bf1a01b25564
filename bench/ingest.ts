/**
 * `npm run bench:ingest -- [--requests 20000] [--connections 50] [--warmup 500] [--port N]`
 *
 * Loads N replays through POST /api/feedback-replay against a production build (started here on
 * its own data directory, .data/bench, emptied first), then inserts the same N rows straight through `pg` with
 * the same concurrency, one INSERT per row (storeFeedbackReplay: the same tables, triggers and
 * prompt grouping), and prints both with the ratio. The HTTP path group-commits concurrent
 * requests (lib/feedback/ingest/), so it can beat the one-row-per-statement baseline. Targets (issue): >= 1,000
 * submissions/s, p99 < 100 ms, and at least a third of the raw `pg` rate. Missing a target still
 * exits 0 (a benchmark prints figures); errors (a non-201, the server not starting) exit 1.
 */
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { closeDb, useDatabaseUrl } from "@/lib/db/client";
import { startEmbeddedDatabase } from "@/lib/db/embedded";
import { storeFeedbackReplay } from "@/lib/feedback/storage";
import { freePort, machineBusyCpu, processTreeCpu, startProductionServer, type ProductionServer } from "./production-server";

const DATA_DIR = path.join(".data", "bench");
const TARGET_RPS = 1_000;
const TARGET_P99_MS = 100;
const TARGET_RATIO = 1 / 3;

// autocannon ships no types; this is the part of its API used here.
type AutocannonResult = { errors: number; timeouts: number; statusCodeStats: Record<string, { count: number }> };
type Autocannon = ((options: Record<string, unknown>) => Promise<AutocannonResult> & {
  on: (event: "response", listener: (client: unknown, status: number, bytes: number, ms: number) => void) => void;
});
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

const { values: flags } = parseArgs({
  options: {
    requests: { type: "string", default: "20000" },
    connections: { type: "string", default: "50" },
    warmup: { type: "string", default: "500" },
    port: { type: "string" },
  },
});
const N = Number(flags.requests);
const CONNECTIONS = Number(flags.connections);
const WARMUP = Number(flags.warmup);
const RUN = Date.now().toString(36);

const TOPICS = ["billing", "shipping", "returns", "account", "technical"];

/** A realistic replay (message ~150 chars, ~20% "no"), unique per index and phase. */
function replayFor(phase: string, i: number) {
  const order = 100_000 + i;
  return {
    message: `Hi, I ordered item #${order} last week and the tracking page still says "label created". Can you tell me when it will ship? Thanks, customer ${i}`,
    aiReply: `Thanks for reaching out! Order #${order} is being prepared at our warehouse and should ship within 2 business days. You'll get an email with the tracking link as soon as it leaves.`,
    agentReply: `Hi! I checked order #${order}: it left our warehouse this morning, the carrier scan can take up to 24 hours to appear. I'll keep an eye on it for you.`,
    feedback: i % 5 === 0 ? "no" : "yes",
    ticketId: `bench-${RUN}-${phase}-${i}`,
    agentEmail: `agent${i % 20}@example.com`,
    topic: TOPICS[i % TOPICS.length],
    model: "gpt-4o-mini",
  } as const;
}

type Figures = { rate: number; p50: number; p99: number; seconds: number };

function figures(latencies: number[], seconds: number): Figures {
  const sorted = Float64Array.from(latencies).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
  return { rate: latencies.length / seconds, p50: at(0.5), p99: at(0.99), seconds };
}

async function loadHttp({ server, key, phase, amount }: { server: ProductionServer; key: string; phase: string; amount: number }) {
  let next = 0;
  const latencies: number[] = [];
  const started = performance.now();
  const run = autocannon({
    url: server.url,
    connections: CONNECTIONS,
    amount,
    timeout: 30,
    requests: [
      {
        method: "POST",
        path: "/api/feedback-replay",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        setupRequest: (request: object) => ({ ...request, body: JSON.stringify(replayFor(phase, next++)) }),
      },
    ],
  });
  let finished = started;
  run.on("response", (_client, status, _bytes, ms) => {
    if (status === 201) latencies.push(ms);
    finished = performance.now();
  });
  const result = await run;
  // Up to the last response: autocannon notices that it is done only on its next 1-second tick.
  const seconds = (finished - started) / 1000;
  const statuses = Object.entries(result.statusCodeStats).map(([code, { count }]) => `${code}×${count}`).join(", ");
  if (latencies.length !== amount || result.errors || result.timeouts) {
    throw new Error(
      `${phase}: ${latencies.length} of ${amount} requests answered 201 (statuses: ${statuses || "none"}, ` +
        `connection errors: ${result.errors}, timeouts: ${result.timeouts}). Server output:\n${server.tail()}`,
    );
  }
  return figures(latencies, seconds);
}

async function loadPg({ pool, phase, amount }: { pool: pg.Pool; phase: string; amount: number }) {
  let next = 0;
  const latencies: number[] = [];
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < amount; i = next++) {
      const replay = { ...replayFor(phase, i), source: "api" };
      const t0 = performance.now();
      await storeFeedbackReplay(replay, pool);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  return figures(latencies, (performance.now() - started) / 1000);
}

/** The sanity check: the phase really inserted N replays, each "no" with its training example. */
async function expectRows(pool: pg.Pool, phase: string, amount: number) {
  const { rows } = await pool.query(
    `SELECT count(*)::int AS replays, count(*) FILTER (WHERE r.feedback = 'no')::int AS no, count(t.id)::int AS examples
     FROM feedback_replay_log r LEFT JOIN training_log t ON t.replay_id = r.id WHERE r.ticket_id LIKE $1`,
    [`bench-${RUN}-${phase}-%`],
  );
  const found = rows[0] as { replays: number; no: number; examples: number };
  if (found.replays !== amount || found.no === 0 || found.examples !== found.no) {
    throw new Error(
      `${phase}: expected ${amount} replays, each "no" with a training example; ` +
        `found ${found.replays} replays, ${found.no} "no", ${found.examples} training examples.`,
    );
  }
  return found;
}

type CpuShares = { text: string; others: number };

/**
 * Runs a phase and says where the machine's CPU went meanwhile, as a share of all cores: the
 * server's processes by name, this process (the load generator / pg client), and everything else.
 */
async function withCpuShares(serverPid: number, phase: () => Promise<Figures>): Promise<[Figures, CpuShares]> {
  const treeBefore = processTreeCpu(serverPid);
  const busyBefore = machineBusyCpu();
  const selfBefore = process.cpuUsage();
  const figures = await phase();
  const self = process.cpuUsage(selfBefore);
  const busy = machineBusyCpu() - busyBefore;
  const used = new Map<string, number>();
  for (const [name, seconds] of processTreeCpu(serverPid)) used.set(name.trim(), seconds - (treeBefore.get(name) ?? 0));
  used.set("bench process", (self.user + self.system) / 1e6);
  const ours = [...used.values()].reduce((a, b) => a + b, 0);
  if (busy > 0) used.set("other processes", Math.max(0, busy - ours));
  const capacity = figures.seconds * os.cpus().length;
  const shares = [...used]
    .filter(([, seconds]) => seconds / capacity >= 0.005)
    .sort((a, b) => b[1] - a[1])
    .map(([name, seconds]) => `${name} ${((100 * seconds) / capacity).toFixed(0)}%`);
  if (busy > 0) shares.push(`idle ${Math.max(0, 100 - (100 * busy) / capacity).toFixed(0)}%`);
  return [figures, { text: shares.join(", "), others: (used.get("other processes") ?? 0) / capacity }];
}

function printReport(report: { http: Figures; raw: Figures; httpCpu: CpuShares; rawCpu: CpuShares; rows: string }) {
  const { http, raw, httpCpu, rawCpu, rows } = report;
  const ratio = http.rate / raw.rate;
  const verdict = (ok: boolean) => (ok ? "PASS" : "FAIL");
  const row = (label: string, f: Figures, unit: string) =>
    `  ${label.padEnd(30)} ${f.rate.toFixed(0).padStart(7)} ${unit}   p50 ${f.p50.toFixed(1).padStart(6)} ms   p99 ${f.p99.toFixed(1).padStart(6)} ms   (${f.seconds.toFixed(1)} s)`;
  console.log(`\nIngest benchmark: ${N} replays, ${CONNECTIONS} concurrent clients, after ${WARMUP} warm-up`);
  console.log(row("POST /api/feedback-replay", http, "req/s "));
  console.log(row("raw pg (1 INSERT/row, pool " + CONNECTIONS + ")", raw, "rows/s"));
  console.log(`  ${"ratio HTTP / raw pg".padEnd(30)} ${ratio.toFixed(2).padStart(7)}`);
  console.log(`\n  CPU, as a share of ${os.cpus().length} cores (the bench process is the load generator / pg client,`);
  console.log("  on the same machine: it shares the cores with the server and PostgreSQL)");
  console.log(`    HTTP run:   ${httpCpu.text}`);
  console.log(`    raw pg run: ${rawCpu.text}`);
  const others = Math.max(httpCpu.others, rawCpu.others);
  if (others >= 0.1) {
    console.log(`  ⚠ Other processes took up to ${(100 * others).toFixed(0)}% of the CPU during a run: these figures understate the app.`);
  }
  console.log(`\n  Rows inserted and checked: ${rows}\n`);
  console.log(`  ${verdict(http.rate >= TARGET_RPS)}  submissions/s >= ${TARGET_RPS}          (${http.rate.toFixed(0)})`);
  console.log(`  ${verdict(http.p99 < TARGET_P99_MS)}  HTTP p99 < ${TARGET_P99_MS} ms             (${http.p99.toFixed(1)} ms)`);
  console.log(`  ${verdict(ratio >= TARGET_RATIO)}  HTTP/raw pg >= 1/3            (${ratio.toFixed(2)})`);
}

async function main() {
  if (![N, CONNECTIONS, WARMUP].every(Number.isInteger) || N < CONNECTIONS || WARMUP < CONNECTIONS) {
    throw new Error("--requests and --warmup must be integers of at least --connections.");
  }
  const cpus = os.cpus();
  console.log(`Machine: ${cpus.length} cores, ${cpus[0]?.model ?? "unknown CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()}`);
  const port = flags.port ? Number(flags.port) : await freePort();
  // A fresh database each run: figures do not drift with the rows earlier runs left behind.
  rmSync(DATA_DIR, { recursive: true, force: true });
  console.log(`▸ Starting the production server on port ${port} with a fresh DATA_DIR=${DATA_DIR}`);
  const server = await startProductionServer({ dataDir: DATA_DIR, port });
  const stopOnSignal = () => void server.stop().finally(() => process.exit(130));
  process.once("SIGINT", stopOnSignal).once("SIGTERM", stopOnSignal);
  let pool: pg.Pool | undefined;
  try {
    const database = await startEmbeddedDatabase({ dataDir: path.join(DATA_DIR, "postgres") });
    if (database.startedHere) throw new Error(`No server was running on ${DATA_DIR}/postgres to join.`);
    useDatabaseUrl(database.url);
    const { key } = await createApiKey({ name: `bench ${RUN}`, scopes: ["feedback:write"] });
    await closeDb();
    pool = new pg.Pool({ connectionString: database.url, max: CONNECTIONS });
    // pool.end() resolves before the sockets close; the server stopping right after must not crash us.
    pool.on("error", (error: Error & { code?: string }) => {
      if (error.code !== "57P01") console.error("[bench] idle pg client:", error.message);
    });

    console.log(`▸ HTTP: ${WARMUP} warm-up requests, then ${N} measured`);
    await loadHttp({ server, key, phase: "warm-http", amount: WARMUP });
    const [http, httpCpu] = await withCpuShares(server.pid, () => loadHttp({ server, key, phase: "http", amount: N }));
    const httpRows = await expectRows(pool, "http", N);

    console.log(`▸ raw pg: ${WARMUP} warm-up rows, then ${N} measured`);
    await loadPg({ pool, phase: "warm-pg", amount: WARMUP });
    const [raw, rawCpu] = await withCpuShares(server.pid, () => loadPg({ pool: pool!, phase: "pg", amount: N }));
    const rawRows = await expectRows(pool, "pg", N);

    const rows = `HTTP ${httpRows.replays} replays + ${httpRows.examples} training examples, raw pg ${rawRows.replays} + ${rawRows.examples}`;
    printReport({ http, raw, httpCpu, rawCpu, rows });
    if (server.linesSinceReady() > 0) console.log(`\n  The server printed ${server.linesSinceReady()} lines during the run:\n${server.tail()}`);
  } finally {
    await pool?.end();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`\n✖ ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
