/**
 * `npm run bench:rate-limit -- [--calls 5000] [--concurrency 20]`
 *
 * What the PostgreSQL rate limit costs per request: enforceRateLimit() (one INSERT … ON CONFLICT
 * DO UPDATE … RETURNING on the UNLOGGED rate_limit_counters table) against an embedded PostgreSQL
 * in .data/bench-rate-limit. Three runs: one call at a time, `concurrency` calls in flight on one
 * hot key (every call updates the same row), and the same on distinct keys. Prints figures.
 */
import { randomUUID } from "node:crypto";
import os from "node:os";
import { parseArgs } from "node:util";
import { closeDb, useDatabaseUrl } from "@/lib/db/client";
import { startEmbeddedDatabase } from "@/lib/db/embedded";
import { runMigrations } from "@/lib/db/migrate";
import { enforceRateLimit } from "@/lib/rate-limit/enforce-rate-limit";

const { values: flags } = parseArgs({ options: { calls: { type: "string", default: "5000" }, concurrency: { type: "string", default: "20" } } });
const CALLS = Number(flags.calls);
const CONCURRENCY = Number(flags.concurrency);

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(label: string, concurrency: number, keyFor: (i: number) => string) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < CALLS) {
        const i = next++;
        const t = performance.now();
        await enforceRateLimit({ bucket: "api", key: keyFor(i), limit: Number.MAX_SAFE_INTEGER });
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(
    `  ${label.padEnd(34)} ${(CALLS / seconds).toFixed(0).padStart(7)} calls/s   p50 ${percentile(latencies, 50).toFixed(2).padStart(6)} ms   p99 ${percentile(latencies, 99).toFixed(2).padStart(6)} ms`,
  );
}

async function main() {
  const database = await startEmbeddedDatabase({ dataDir: ".data/bench-rate-limit/postgres" });
  try {
    await runMigrations(database.url);
    useDatabaseUrl(database.url);
    const run = randomUUID();
    await measure("warm-up", 4, (i) => `${run}-warm-${i % 10}`);
    console.log(`\nRate-limit benchmark: ${CALLS} calls per run`);
    await measure("1 at a time, one key", 1, () => `${run}-serial`);
    await measure(`${CONCURRENCY} in flight, one hot key`, CONCURRENCY, () => `${run}-hot`);
    await measure(`${CONCURRENCY} in flight, distinct keys`, CONCURRENCY, (i) => `${run}-key-${i}`);
    const cpus = os.cpus();
    console.log(`\nMachine: ${cpus.length} cores, ${cpus[0]?.model ?? "unknown CPU"}, Node ${process.version}; PostgreSQL embedded on the same machine.\n`);
  } finally {
    await closeDb();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
