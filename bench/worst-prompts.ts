/**
 * `npm run bench:worst-prompts -- [--replays 1000000] [--groups 20000] [--runs 5]`
 *
 * Generates N submitted replays (20% "not useful") over the last 60 days in SQL, spread over prompt
 * groups with a skew (a few questions are asked very often, most rarely), in its own embedded
 * PostgreSQL (.data/bench-training, database bench_worst; made once, reused). Then times
 * findWorstPrompts with the default window (WORST_PROMPT_WINDOW_DAYS) and threshold. Target
 * (issue 5): under 5 s.
 */
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { closeDb, getPool, useDatabaseUrl } from "@/lib/db/client";
import { startEmbeddedDatabase } from "@/lib/db/embedded";
import { runMigrations } from "@/lib/db/migrate";
import { findWorstPrompts } from "@/lib/training/find-worst-prompts";
import { readTrainingSettings } from "@/lib/training/read-training-settings";

const DATA_DIR = path.join(".data", "bench-training");
const TARGET_SECONDS = 5;
const { values: flags } = parseArgs({
  options: { replays: { type: "string", default: "1000000" }, groups: { type: "string", default: "20000" }, runs: { type: "string", default: "5" } },
});
const REPLAYS = Number(flags.replays);
const GROUPS = Number(flags.groups);
const RUNS = Number(flags.runs);

async function generate() {
  const pool = getPool();
  const { rows } = await pool.query("SELECT count(*)::int AS n FROM feedback_replay_log WHERE source = 'bench'");
  if (rows[0].n === REPLAYS) return;
  console.log(`▸ Generating ${REPLAYS.toLocaleString()} replays over ${GROUPS.toLocaleString()} prompt groups in SQL (once; kept in ${DATA_DIR})…`);
  const started = performance.now();
  await pool.query("TRUNCATE feedback_replay_log, prompt_groups CASCADE");
  await pool.query(
    `INSERT INTO prompt_groups (id, representative, normalized, prompt_hash)
     SELECT md5('group' || g)::uuid, 'Question number ' || g || ' about my order', 'question number <id> about my order ' || md5(g::text),
            md5('question ' || g)
     FROM generate_series(1, $1) AS g`,
    [GROUPS],
  );
  // Group g = floor(GROUPS * u^3): a long tail, like real support traffic.
  await pool.query(
    `INSERT INTO feedback_replay_log
       (message, ai_reply, agent_reply, feedback, status, topic, model, source, prompt_hash, prompt_group_id,
        created_at, submitted_at)
     SELECT 'Question number ' || g || ' about my order, asked for the ' || i || 'th time',
            'A suggested reply.', 'The reply the agent sent.',
            CASE WHEN i % 5 = 0 THEN 'no'::feedback ELSE 'yes'::feedback END, 'submitted',
            'topic ' || (g % 16), 'bench', 'bench', md5('question ' || g), md5('group' || g)::uuid,
            now() - random() * interval '60 days', now()
     FROM (SELECT i, 1 + floor($2 * power(random(), 3))::int AS g FROM generate_series(1, $1) AS i) s`,
    [REPLAYS, GROUPS - 1],
  );
  await pool.query("VACUUM ANALYZE feedback_replay_log");
  await pool.query("VACUUM ANALYZE prompt_groups");
  console.log(`  generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

async function main() {
  const cpus = os.cpus();
  console.log(`Machine: ${cpus.length} cores (a ${cpus.length}-core machine), ${cpus[0]?.model ?? "unknown CPU"}, Node ${process.version}`);
  const database = await startEmbeddedDatabase({ dataDir: path.join(DATA_DIR, "postgres"), database: "bench_worst" });
  try {
    await runMigrations(database.url);
    useDatabaseUrl(database.url);
    await generate();
    const settings = readTrainingSettings();
    const since = new Date(Date.now() - settings.windowDays * 86_400_000);
    const { rows } = await getPool().query(
      "SELECT count(*)::int AS replays, count(*) FILTER (WHERE feedback = 'no' AND created_at >= $1)::int AS no_in_window FROM feedback_replay_log",
      [since],
    );
    const times: number[] = [];
    let found = 0;
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      found = (await findWorstPrompts({ since, threshold: settings.threshold })).length;
      times.push((performance.now() - started) / 1000);
    }
    const sorted = [...times].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    console.log(`\nWorst-prompts benchmark: ${rows[0].replays.toLocaleString()} replays, ${rows[0].no_in_window.toLocaleString()} "not useful" in the ${settings.windowDays}-day window, ${GROUPS.toLocaleString()} groups, ${cpus.length}-core machine`);
    console.log(`  findWorstPrompts (threshold ${settings.threshold}): ${found} groups over the threshold (up to 500 returned)`);
    console.log(`  runs (s): ${times.map((t) => t.toFixed(3)).join(", ")}   first ${times[0]!.toFixed(3)} s, median ${median.toFixed(3)} s`);
    console.log(`\n  ${Math.max(...times) < TARGET_SECONDS ? "PASS" : "FAIL"}  every run under ${TARGET_SECONDS} s   (slowest ${Math.max(...times).toFixed(3)} s)`);
    await closeDb();
  } finally {
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`\n✖ ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
