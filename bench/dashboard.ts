/**
 * `npm run bench:dashboard -- [--replays 1000000] [--runs 30] [--port N]`
 *
 * Seeds .data/bench-dashboard up to N replays (`seed-bench`, in SQL, self-critiques included;
 * once), groups them into prompt groups in this process (once: a production server that had to
 * regroup them at start would measure its own regroup), then prints p50/p95 for each dashboard
 * aggregate (called directly) and for the whole page as a manager loads it: headless Chromium
 * with a real manager session cookie against a production server (`npm start`'s code path), from
 * navigation start until the first screen has drawn, and until every panel has (scrolled into view
 * in turn: charts draw as they come near the viewport). Server time (request sent → last byte of
 * the HTML) and browser time (last byte → first screen drawn) are printed apart. Targets (issue
 * 14): p50 under 500 ms and p95 under 1 s, for the default view and for a 52-week view; a PASS/FAIL
 * line for each, for the first screen and for every panel.
 * Missing a target still exits 0; errors exit 1.
 */
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium, type Page } from "@playwright/test";
import { encode } from "next-auth/jwt";
import { listFilterOptions } from "@/lib/analytics/list-filter-options";
import { PANEL_LOADERS } from "@/lib/analytics/load-panel";
import { dashboardFiltersSchema, type DashboardFilters } from "@/lib/analytics/schemas";
import { seedBench } from "@/lib/analytics/seed-bench";
import { closeDb, getPool, useDatabaseUrl } from "@/lib/db/client";
import { startEmbeddedDatabase } from "@/lib/db/embedded";
import { runMigrations } from "@/lib/db/migrate";
import { regroupReplays } from "@/lib/meaning/regroup-replays";
import { ensureDemoUsers } from "@/lib/demo/seed-demo";
import { freePort, startProductionServer } from "./production-server";

const DATA_DIR = path.join(".data", "bench-dashboard");
const TARGET_P50_MS = 500;
const TARGET_P95_MS = 1_000;
const CHROMIUM = "/usr/bin/chromium";

const { values: flags } = parseArgs({
  options: { replays: { type: "string", default: "1000000" }, runs: { type: "string", default: "30" }, port: { type: "string" } },
});
const REPLAYS = Number(flags.replays);
const RUNS = Number(flags.runs);

type Figures = { p50: number; p95: number };

function percentiles(samples: number[]): Figures {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { p50: at(0.5), p95: at(0.95) };
}

async function time(work: () => Promise<unknown>, runs = RUNS): Promise<Figures> {
  for (let i = 0; i < 3; i++) await work(); // warm-up: plans, caches, JIT
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await work();
    samples.push(performance.now() - t0);
  }
  return percentiles(samples);
}

type PageLoad = { firstScreen: number; server: number; browser: number; everyPanel: number };

/**
 * One page load in the browser, as a manager sees it. First screen: navigation start until every
 * panel that meets the viewport has drawn (its charts' SVG, or its list or empty-state text).
 * Charts further down draw as they come near the viewport (ChartCard's LazyChart), so then every
 * panel: each scrolled into view in turn, until the last one has drawn, timed from the same start.
 * Times from the Navigation Timing API.
 */
async function loadDashboard(page: Page, url: string): Promise<PageLoad> {
  const response = await page.goto(url, { waitUntil: "load" });
  if (response?.status() !== 200) throw new Error(`GET ${url} answered ${response?.status()}`);
  const drawn = (onlyInView: boolean) =>
    page.waitForFunction((inView) => {
      // A panel still streaming in is a placeholder (app/dashboard/deferred-card.tsx): it counts, and waits.
      const panels = [...document.querySelectorAll('[data-testid^="panel-"], [data-testid="deferred-panel"]')];
      if (panels.length < 9) return false;
      // No named helpers in here: tsx would wrap them in a `__name` call the page does not have.
      return panels.filter((p) => !inView || (p.getBoundingClientRect().bottom > 0 && p.getBoundingClientRect().top < window.innerHeight)).every((p) => {
        if (p.querySelector('[data-chart="waiting"]')) return false;
        return [...p.querySelectorAll(".recharts-responsive-container")].every((c) => c.querySelector("svg.recharts-surface"));
      });
    }, onlyInView);
  await drawn(true);
  const first = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
    const done = performance.now();
    return { firstScreen: done, server: nav.responseEnd - nav.requestStart, browser: done - nav.responseEnd };
  });
  await page.waitForFunction(() => !document.querySelector('[data-testid="deferred-panel"]')); // every panel streamed in
  for (const panel of await page.locator('[data-testid^="panel-"]').all()) await panel.scrollIntoViewIfNeeded();
  await drawn(false);
  const everyPanel = await page.evaluate(() => performance.now());
  await page.evaluate(() => window.scrollTo(0, 0));
  return { ...first, everyPanel };
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
    // Group here, once (a no-op when nothing is pending): the production server then starts with
    // an up-to-date grouping and regroups nothing in the background while it is measured.
    const g0 = performance.now();
    const grouped = await regroupReplays({ onProgress: (done, total) => done % 200_000 < 2_000 && console.log(`  grouped ${done} of ${total}`) });
    if (grouped.replays) console.log(`▸ Grouped ${grouped.replays} replays into prompt groups in ${((performance.now() - g0) / 1000).toFixed(0)} s (once)`);
    // What autovacuum does within minutes of that many updated rows (it vacuums a table once a fifth
    // of it changed): the visibility map lets worst prompts read their index only.
    await getPool().query("VACUUM (ANALYZE) feedback_replay_log");
    const sizes = await getPool().query(
      `SELECT (SELECT count(*) FROM feedback_replay_log)::int AS replays, (SELECT count(*) FROM training_log)::int AS examples,
              (SELECT count(*) FROM analytics_daily)::int AS rollup_rows,
              (SELECT count(*) FROM failure_analyses WHERE status = 'done')::int AS analyses`,
    );
    const agent = await getPool().query("SELECT id FROM users WHERE email = 'bench-agent-1@example.com'");
    const manager = await getPool().query("SELECT id, email, name FROM users WHERE role = 'manager' ORDER BY email LIMIT 1");
    const s = sizes.rows[0];
    console.log(
      `\nData: ${s.replays.toLocaleString("en-US")} replays, ${s.examples.toLocaleString("en-US")} training examples, ${s.analyses.toLocaleString("en-US")} self-critiques, ${s.rollup_rows.toLocaleString("en-US")} rollup rows`,
    );

    const cases = scenarios(agent.rows[0]?.id ?? "00000000-0000-0000-0000-000000000000");
    const pageFigures: { label: string; total: Figures; server: Figures; browser: Figures; everyPanel: Figures }[] = [];
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
      // The session as the demo sign-in makes it: a session from a provider not configured is no session.
      const token = await encode({ secret, token: { sub: m.id, uid: m.id, email: m.email, name: m.name, role: "manager", provider: "demo" } });
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      });
      try {
        const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
        await context.addCookies([{ name: "next-auth.session-token", value: token, url: server.url, httpOnly: true, sameSite: "Lax" }]);
        const page = await context.newPage();
        for (const scenario of cases) {
          const url = `${server.url}/dashboard?${new URLSearchParams(scenario.query)}`;
          for (let i = 0; i < 3; i++) await loadDashboard(page, url); // warm-up: the page's scripts cached, plans made
          const runs: PageLoad[] = [];
          for (let i = 0; i < RUNS; i++) runs.push(await loadDashboard(page, url));
          pageFigures.push({
            label: scenario.label,
            total: percentiles(runs.map((r) => r.firstScreen)),
            everyPanel: percentiles(runs.map((r) => r.everyPanel)),
            server: percentiles(runs.map((r) => r.server)),
            browser: percentiles(runs.map((r) => r.browser)),
          });
        }
      } finally {
        await browser.close();
      }
    } finally {
      await server.stop();
    }
    console.log(`\nWhole page in headless Chromium (1440×1000), manager session, from navigation start (${RUNS} runs each, one at a time):`);
    for (const p of pageFigures) {
      console.log(`  ${p.label}`);
      console.log(line("    first screen drawn", p.total));
      console.log(line("      server (request → last byte)", p.server));
      console.log(line("      browser (last byte → drawn)", p.browser));
      console.log(line("    every panel drawn (scrolled)", p.everyPanel));
    }
    const at = s.replays.toLocaleString("en-US");
    console.log("");
    for (const p of pageFigures.slice(0, 2)) {
      for (const [what, f] of [["first screen", p.total], ["every panel", p.everyPanel]] as const) {
        const ok = f.p50 < TARGET_P50_MS && f.p95 < TARGET_P95_MS;
        console.log(`  ${ok ? "PASS" : "FAIL"}  ${p.label}, ${what}: p50 ${f.p50.toFixed(0)} ms (< ${TARGET_P50_MS}), p95 ${f.p95.toFixed(0)} ms (< ${TARGET_P95_MS}) at ${at} replays`);
      }
    }
  } finally {
    await closeDb();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`\n✖ ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
