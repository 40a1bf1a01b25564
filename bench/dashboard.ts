/**
 * `npm run bench:dashboard -- [--replays 1000000] [--runs 30] [--port N]`
 *
 * Seeds .data/bench-dashboard up to N replays (`seed-bench`, in SQL; once), then prints p50/p95
 * for each dashboard aggregate (called directly) and for the whole page: GET /dashboard with a
 * real manager session cookie against a production server (`npm start`'s code path). Target
 * (issue 7): whole page under 500 ms p50 at 1,000,000 replays. Missing it still exits 0; errors exit 1.
 */
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { encode } from "next-auth/jwt";
import { listFilterOptions } from "@/lib/analytics/list-filter-options";
import { PANEL_LOADERS } from "@/lib/analytics/load-panel";
import { dashboardFiltersSchema, type DashboardFilters } from "@/lib/analytics/schemas";
import { seedBench } from "@/lib/analytics/seed-bench";
import { closeDb, getPool, useDatabaseUrl } from "@/lib/db/client";
import { startEmbeddedDatabase } from "@/lib/db/embedded";
import { runMigrations } from "@/lib/db/migrate";
import { ensureDemoUsers } from "@/lib/demo/seed-demo";
import { freePort, startProductionServer } from "./production-server";

const DATA_DIR = path.join(".data", "bench-dashboard");
const TARGET_P50_MS = 500;

const { values: flags } = parseArgs({
  options: { replays: { type: "string", default: "1000000" }, runs: { type: "string", default: "30" }, port: { type: "string" } },
});
const REPLAYS = Number(flags.replays);
const RUNS = Number(flags.runs);

type Figures = { p50: number; p95: number };

async function time(work: () => Promise<unknown>, runs = RUNS): Promise<Figures> {
  for (let i = 0; i < 3; i++) await work(); // warm-up: plans, caches, JIT
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await work();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)]!;
  return { p50: at(0.5), p95: at(0.95) };
}

const line = (label: string, f: Figures) => `  ${label.padEnd(34)} p50 ${f.p50.toFixed(1).padStart(7)} ms   p95 ${f.p95.toFixed(1).padStart(7)} ms`;

function scenarios(agentId: string): { label: string; query: Record<string, string> }[] {
  return [
    { label: "default: last 12 weeks, by week", query: {} },
    { label: "all 52 weeks, by day", query: { from: isoDaysAgo(7 * 52), granularity: "day" } },
    { label: "52 weeks, one agent + one topic", query: { from: isoDaysAgo(7 * 52), agent: agentId, topic: "refunds" } },
  ];
}

function isoDaysAgo(days: number) {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

async function main() {
  if (!Number.isInteger(REPLAYS) || REPLAYS < 1 || !Number.isInteger(RUNS) || RUNS < 5) throw new Error("--replays must be >= 1 and --runs >= 5.");
  const cpus = os.cpus();
  console.log(`Machine: ${cpus.length} cores, ${cpus[0]?.model ?? "unknown CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`);

  const database = await startEmbeddedDatabase({ dataDir: path.join(DATA_DIR, "postgres") });
  try {
    await runMigrations(database.url);
    useDatabaseUrl(database.url);
    await ensureDemoUsers();
    const { rows } = await getPool().query("SELECT count(*)::int AS n FROM feedback_replay_log");
    if (rows[0].n < REPLAYS) {
      console.log(`▸ Seeding ${REPLAYS - rows[0].n} replays into ${DATA_DIR} (once)`);
      const t0 = performance.now();
      await seedBench({ replays: REPLAYS - rows[0].n, log: console.log });
      console.log(`  seeded in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }
    const sizes = await getPool().query(
      `SELECT (SELECT count(*) FROM feedback_replay_log)::int AS replays, (SELECT count(*) FROM training_log)::int AS examples,
              (SELECT count(*) FROM analytics_daily)::int AS rollup_rows`,
    );
    const agent = await getPool().query("SELECT id FROM users WHERE email = 'bench-agent-1@example.com'");
    const manager = await getPool().query("SELECT id, email, name FROM users WHERE role = 'manager' ORDER BY email LIMIT 1");
    const s = sizes.rows[0];
    console.log(`\nData: ${s.replays.toLocaleString("en-US")} replays, ${s.examples.toLocaleString("en-US")} training examples, ${s.rollup_rows.toLocaleString("en-US")} rollup rows`);

    const cases = scenarios(agent.rows[0]?.id ?? "00000000-0000-0000-0000-000000000000");
    const pageFigures: { label: string; figures: Figures }[] = [];
    for (const scenario of cases) {
      const filters: DashboardFilters = dashboardFiltersSchema.parse(scenario.query);
      console.log(`\nAggregates, ${scenario.label} (${RUNS} runs each, one at a time):`);
      console.log(line("filter options", await time(() => listFilterOptions())));
      for (const [panel, load] of Object.entries(PANEL_LOADERS)) {
        console.log(line(panel, await time(() => (load as (f: DashboardFilters) => Promise<unknown>)(filters))));
      }
      console.log(line("all of them at once (as the page)", await time(() => Promise.all([listFilterOptions(), ...Object.values(PANEL_LOADERS).map((l) => (l as (f: DashboardFilters) => Promise<unknown>)(filters))]))));
    }
    await closeDb();

    const port = flags.port ? Number(flags.port) : await freePort();
    console.log(`\n▸ Starting the production server on port ${port} with DATA_DIR=${DATA_DIR}`);
    const server = await startProductionServer({ dataDir: DATA_DIR, port });
    try {
      const secret = readFileSync(path.join(DATA_DIR, "auth-secret"), "utf8").trim();
      const m = manager.rows[0];
      const cookie = `next-auth.session-token=${await encode({ secret, token: { sub: m.id, uid: m.id, email: m.email, name: m.name, role: "manager" } })}`;
      for (const scenario of cases) {
        const url = `${server.url}/dashboard?${new URLSearchParams(scenario.query)}`;
        const get = async () => {
          const response = await fetch(url, { headers: { cookie }, redirect: "manual" });
          const body = await response.text();
          if (response.status !== 200 || !body.includes("Is the AI getting better?")) throw new Error(`GET ${url} answered ${response.status}`);
        };
        pageFigures.push({ label: scenario.label, figures: await time(get) });
      }
    } finally {
      await server.stop();
    }
    console.log(`\nWhole page: GET /dashboard, full response, manager session (${RUNS} runs each, one at a time):`);
    for (const p of pageFigures) console.log(line(p.label, p.figures));
    const headline = pageFigures[0]!.figures.p50;
    console.log(`\n  ${headline < TARGET_P50_MS ? "PASS" : "FAIL"}  default page p50 < ${TARGET_P50_MS} ms at ${s.replays.toLocaleString("en-US")} replays (${headline.toFixed(0)} ms)`);
  } finally {
    await closeDb();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`\n✖ ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
