/**
 * `npm run bench:regroup -- [--replays 1000000] [--batch 2000] [--serve] [--port N]`
 *
 * A full regroup (`regroupReplays({ all: true })`: what a new engine version or GROUP_SIMILARITY
 * runs on start) over N replays seeded as bench:dashboard seeds them (`seedBench`, in SQL, once,
 * into .data/bench-regroup), timed, with this process's memory sampled every second: the index
 * is bounded (≤ 64 wordings and 16 replies a group) and pages are streamed, so RSS should stay
 * flat. `--serve` then marks the grouping stale and starts the production server on the same
 * data (`npm start`'s code path): it must answer at once and regroup in the background, with
 * progress. Target (issue 11): under 10 minutes at 1,000,000 replays with flat memory, on 2
 * cores. Missing it still exits 0; errors exit 1.
 */
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { seedBench } from "@/lib/analytics/seed-bench";
import { closeDb, getPool, useDatabaseUrl } from "@/lib/db/client";
import { startEmbeddedDatabase } from "@/lib/db/embedded";
import { runMigrations } from "@/lib/db/migrate";
import { regroupReplays } from "@/lib/meaning/regroup-replays";
import { freePort, startProductionServer } from "./production-server";

const DATA_DIR = path.join(".data", "bench-regroup");
const TARGET_SECONDS = 600;

const { values: flags } = parseArgs({
  options: {
    replays: { type: "string", default: "1000000" },
    batch: { type: "string", default: "2000" },
    serve: { type: "boolean", default: false },
    port: { type: "string" },
  },
});
const REPLAYS = Number(flags.replays);
const BATCH = Number(flags.batch);

const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

type Sample = { at: number; done: number; rss: number; heap: number };

async function timeRegroup(total: number) {
  const samples: Sample[] = [];
  let done = 0;
  const started = performance.now();
  const sample = () => {
    const memory = process.memoryUsage();
    samples.push({ at: (performance.now() - started) / 1000, done, rss: memory.rss, heap: memory.heapUsed });
  };
  const timer = setInterval(sample, 1000);
  let reported = 0;
  const result = await regroupReplays({
    all: true,
    batchSize: BATCH,
    onProgress: (n) => {
      done = n;
      if (n - reported >= 100_000 || n === total) {
        reported = n;
        const memory = process.memoryUsage();
        console.log(`  ${n.toLocaleString("en")} of ${total.toLocaleString("en")} in ${((performance.now() - started) / 1000).toFixed(0)} s, rss ${mb(memory.rss)}, heap ${mb(memory.heapUsed)}, load ${loadAverage()}`);
      }
    },
  }).finally(() => clearInterval(timer));
  sample();
  return { seconds: (performance.now() - started) / 1000, result, samples };
}

/** Peak RSS in each quarter of the run: flat memory means the last quarters are no higher than the first. */
function quarters(samples: Sample[]): number[] {
  const end = samples.at(-1)?.at ?? 0;
  return [0, 1, 2, 3].map((q) => Math.max(0, ...samples.filter((s) => s.at >= (q * end) / 4 && s.at <= ((q + 1) * end) / 4).map((s) => s.rss)));
}

async function checkServe() {
  const port = flags.port ? Number(flags.port) : await freePort();
  console.log(`\n▸ --serve: grouping marked stale; starting the production server on port ${port} (DATA_DIR=${DATA_DIR}; builds first if the build is stale)`);
  const t0 = performance.now();
  const server = await startProductionServer({ dataDir: DATA_DIR, port });
  const ready = (performance.now() - t0) / 1000;
  try {
    const health = await fetch(`${server.url}/api/health`);
    console.log(`  healthy after ${ready.toFixed(1)} s (build included when it ran): GET /api/health ${health.status}`);
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      const t = performance.now();
      const page = await fetch(`${server.url}/api/health`);
      console.log(`  +${((performance.now() - t0) / 1000).toFixed(0)} s: GET /api/health ${page.status} in ${(performance.now() - t).toFixed(0)} ms while regrouping`);
    }
    console.log(`  server output: ${server.tail().split("\n").filter((l) => l.includes("egroup")).join(" | ")}`);
  } finally {
    await server.stop();
  }
}

async function main() {
  if (!Number.isInteger(REPLAYS) || REPLAYS < 1 || !Number.isInteger(BATCH) || BATCH < 1) throw new Error("--replays and --batch must be positive whole numbers.");
  const cpus = os.cpus();
  console.log(`Machine: ${cpus.length} cores, ${cpus[0]?.model ?? "unknown CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; load average ${loadAverage()}`);
  const database = await startEmbeddedDatabase({ dataDir: path.join(DATA_DIR, "postgres") });
  let serve = false;
  try {
    await runMigrations(database.url);
    useDatabaseUrl(database.url);
    const { rows } = await getPool().query<{ n: number }>("SELECT count(*)::int AS n FROM feedback_replay_log");
    if (rows[0]!.n < REPLAYS) {
      console.log(`▸ Seeding ${(REPLAYS - rows[0]!.n).toLocaleString("en")} replays into ${DATA_DIR} as bench:dashboard does (once)`);
      const t0 = performance.now();
      await seedBench({ replays: REPLAYS - rows[0]!.n, log: console.log });
      console.log(`  seeded in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }
    const { rows: sizes } = await getPool().query<{ submitted: number; groups: number }>(
      "SELECT (SELECT count(*) FROM feedback_replay_log WHERE status = 'submitted')::int AS submitted, (SELECT count(*) FROM prompt_groups)::int AS groups",
    );
    const total = sizes[0]!.submitted;
    console.log(`\n▸ Regrouping ${total.toLocaleString("en")} submitted replays (all: true, pages of ${BATCH}); ${sizes[0]!.groups.toLocaleString("en")} prompt groups before`);
    const { seconds, result, samples } = await timeRegroup(total);
    const { rows: after } = await getPool().query<{ documents: number; groups: number }>(
      "SELECT (SELECT count(*) FROM meaning_documents)::int AS documents, (SELECT count(*) FROM prompt_groups)::int AS groups",
    );
    const peaks = quarters(samples);
    console.log(`\n  regrouped ${result.replays.toLocaleString("en")} replays in ${seconds.toFixed(0)} s (${(result.replays / seconds).toFixed(0)}/s): ${after[0]!.groups.toLocaleString("en")} groups, ${after[0]!.documents.toLocaleString("en")} meaning documents`);
    console.log(`  RSS peak per quarter of the run: ${peaks.map(mb).join(", ")}; heap at the end ${mb(samples.at(-1)!.heap)}`);
    console.log(`  load average after: ${loadAverage()} (2-core machine shared with other work inflates the time)`);
    const flat = peaks[3]! <= peaks[0]! * 1.25 + 32 * 2 ** 20;
    console.log(`\n  ${seconds < TARGET_SECONDS ? "PASS" : "FAIL"}  regroup under ${TARGET_SECONDS / 60} minutes (${(seconds / 60).toFixed(1)} min for ${result.replays.toLocaleString("en")})`);
    console.log(`  ${flat ? "PASS" : "FAIL"}  flat memory (last quarter's RSS peak within 25% + 32 MB of the first's)`);
    serve = flags.serve ?? false;
    if (serve) await getPool().query("UPDATE meaning_state SET engine = 'stale (bench:regroup --serve)' WHERE id = 1");
  } finally {
    await closeDb();
    await database.stop();
  }
  if (serve) await checkServe();
}

main().catch((error: unknown) => {
  console.error(`\n✖ ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
