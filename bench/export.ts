/**
 * `npm run bench:export -- [--rows 1000000] [--runs 2]`
 *
 * Generates N approved, cleaned training examples in SQL (generate_series) in its own embedded
 * PostgreSQL (.data/bench-training; made once, reused), then exports them exactly as
 * `npm run cli -- export` does (buildDataset → dataset snapshot → cursor stream → file) and, next
 * to it, PostgreSQL's own `COPY (SELECT …) TO STDOUT` of the same rows in the same order. Prints
 * rows/s, MB/s and peak RSS. Targets (issue 5): at least half of COPY's rate, peak RSS < 300 MB.
 *
 * `--unprepared N`: then marks the oldest N examples unprepared (as after a change of the training
 * settings, or a bulk import) and measures a full export's first byte while it prepares them in
 * slices, streams for `--stream-seconds` (default 30), stops (the snapshot is left aborted) and
 * marks the rest prepared again as generated. `--runs 0` skips the runs above.
 */
import { createWriteStream, readFileSync, statSync } from "node:fs";
import { spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { parseArgs } from "node:util";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { closeDb, getPool, useDatabaseUrl } from "@/lib/db/client";
import { startEmbeddedDatabase } from "@/lib/db/embedded";
import { runMigrations } from "@/lib/db/migrate";
import { exportJsonl } from "@/lib/training/export-jsonl";
import { streamDatasetJsonl } from "@/lib/training/stream-dataset-jsonl";
import { getDataset } from "@/lib/training/list-datasets";
import { listExampleDatasets } from "@/lib/training/list-example-datasets";
import { readTrainingSettings } from "@/lib/training/read-training-settings";

const DATA_DIR = path.join(".data", "bench-training");
const { values: flags } = parseArgs({
  options: {
    rows: { type: "string", default: "1000000" },
    runs: { type: "string", default: "2" },
    unprepared: { type: "string", default: "0" },
    "stream-seconds": { type: "string", default: "30" },
    "child-export": { type: "string" },
    url: { type: "string" },
  },
});
const ROWS = Number(flags.rows);
const RUNS = Number(flags.runs);

/** Peak resident set size of this process so far (Linux: VmHWM), in MB. */
function peakRssMb(): number {
  try {
    const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))?.[1]);
    return kb / 1024;
  } catch {
    return process.memoryUsage().rss / 2 ** 20;
  }
}

async function generate(pool: pg.Pool) {
  const { rows } = await pool.query("SELECT count(*)::int AS n FROM training_log WHERE review_status = 'approved' AND prepared_with = $1", [
    readTrainingSettings().fingerprint,
  ]);
  if (rows[0].n >= ROWS) return rows[0].n as number;
  console.log(`▸ Generating ${ROWS.toLocaleString()} approved training examples in SQL (once; kept in ${DATA_DIR})…`);
  const started = performance.now();
  await pool.query("TRUNCATE training_log CASCADE");
  // Texts of realistic length (~180 and ~260 characters), varied per row, already "cleaned" with
  // the current settings, as after prepareExamples.
  await pool.query(
    `INSERT INTO training_log (prompt, completion, status, review_status, reviewed_at, created_at,
                               clean_prompt, clean_completion, redactions, token_count, dedupe_key, prepared_with)
     SELECT p, c, 'ready', 'approved', now(), now() - (i || ' seconds')::interval,
            p, c, '{}'::jsonb, 110, md5(i::text), $2
     FROM (
       SELECT i,
         'Hi, I ordered item [ORDER_ID] last week (' || i || ') and the tracking page still says "label created". Can you tell me when it will ship? ' || substr(md5(i::text), 1, 12) AS p,
         'Hi! I checked order [ORDER_ID]: it left our warehouse this morning, and the carrier scan can take up to 24 hours to appear. I will keep an eye on it for you. Reference ' || md5(i::text) || ' — have a great day!' AS c
       FROM generate_series(1, $1) AS i
     ) g`,
    [ROWS, readTrainingSettings().fingerprint],
  );
  await pool.query("VACUUM ANALYZE training_log");
  console.log(`  generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return ROWS;
}

/** The bench's snapshots, their dataset_chunks with them (ON DELETE CASCADE). */
async function forgetBenchDatasets(pool: pg.Pool) {
  await pool.query("DELETE FROM datasets WHERE created_via = 'bench'");
}

/**
 * Lineage as the review view asks it (example → datasets), for examples spread over the
 * snapshot just made: milliseconds per lookup, median and slowest.
 */
async function runLineage(pool: pg.Pool, datasetId: string): Promise<{ median: number; max: number; n: number }> {
  const { rows } = await pool.query("SELECT id FROM training_log TABLESAMPLE SYSTEM (0.05) REPEATABLE (7) ORDER BY random() LIMIT 25");
  const times: number[] = [];
  for (const { id } of rows) {
    const started = performance.now();
    const found = await listExampleDatasets(id);
    times.push(performance.now() - started);
    if (!found.some((d) => d.id === datasetId)) throw new Error(`Lineage lost example ${id}: not found in the snapshot that holds it.`);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, max: times.at(-1)!, n: times.length };
}

type Run = { seconds: number; rows: number; bytes: number; peakMb: number | null; baselineMb?: number };

/**
 * The export as `npm run cli -- export` runs it: choose, stream to a file, record the snapshot.
 * In a child process of its own, so that its peak RSS is the export's and nothing else's.
 */
function runExport(url: string, out: string): Promise<Run & { datasetId: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, "--child-export", out, "--url", url], { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(output.trim().split("\n").at(-1)!)) : reject(new Error(`export run exited with ${code}`))));
  });
}

async function childExport(url: string, out: string) {
  useDatabaseUrl(url);
  const baselineMb = process.memoryUsage().rss / 2 ** 20;
  const started = performance.now();
  const { dataset, chunks } = await exportJsonl({ source: "approved", createdVia: "bench" });
  await pipeline(Readable.from(chunks), createWriteStream(out));
  const seconds = (performance.now() - started) / 1000;
  const recorded = (await getDataset(dataset.id))!;
  if (!recorded.validation?.ok) throw new Error(`The export failed validation: ${JSON.stringify(recorded.validation?.problems)}`);
  const peakMb = peakRssMb();
  await closeDb();
  console.log(JSON.stringify({ datasetId: dataset.id, seconds, rows: recorded.exampleCount, bytes: statSync(out).size, peakMb, baselineMb }));
}

/** Downloading that snapshot again (members joined back to their examples, in file order). */
async function runRedownload(datasetId: string, out: string): Promise<Run> {
  const started = performance.now();
  let sha = "";
  await pipeline(Readable.from(streamDatasetJsonl(datasetId, { onDone: (h) => (sha = h) })), createWriteStream(out));
  const seconds = (performance.now() - started) / 1000;
  const recorded = (await getDataset(datasetId))!;
  if (sha !== recorded.sha256) throw new Error("The downloaded snapshot differs from the recorded file.");
  return { seconds, rows: recorded.exampleCount, bytes: statSync(out).size, peakMb: null };
}

async function runCopy(url: string, out: string): Promise<Run> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const started = performance.now();
    const stream = client.query(
      copyTo(`COPY (SELECT clean_prompt, clean_completion FROM training_log WHERE review_status = 'approved' ORDER BY created_at, id) TO STDOUT`),
    );
    await pipeline(stream, createWriteStream(out));
    const seconds = (performance.now() - started) / 1000;
    return { seconds, rows: Number(stream.rowCount), bytes: statSync(out).size, peakMb: null };
  } finally {
    await client.end();
  }
}

/** A full export of examples none of which is prepared: its first byte, and what it streams while it prepares. */
async function runUnprepared(pool: pg.Pool) {
  const { fingerprint } = readTrainingSettings();
  let started = performance.now();
  const marked = Number(flags.unprepared);
  // In statements of 1,000: the analytics trigger joins the statement's old and new rows without an
  // index, which grows with the square of a statement's rows (5,000 in one: ~17 s; 1,000: ~0.3 s).
  const { rows: ids } = await pool.query<{ id: string }>("SELECT id FROM training_log ORDER BY created_at, id LIMIT $1", [marked]);
  for (let i = 0; i < ids.length; i += 1_000) {
    await pool.query("UPDATE training_log SET prepared_with = NULL WHERE id = ANY($1::uuid[])", [ids.slice(i, i + 1_000).map((r) => r.id)]);
  }
  await pool.query("VACUUM ANALYZE training_log");
  console.log(`\n▸ The oldest ${marked.toLocaleString()} examples marked unprepared (${((performance.now() - started) / 1000).toFixed(0)} s); a full export prepares them in slices as it streams`);
  started = performance.now();
  const { chunks } = await exportJsonl({ source: "approved", createdVia: "bench" });
  const headers = performance.now() - started;
  const first = await chunks.next();
  const firstByte = performance.now() - started;
  let bytes = first.done ? 0 : first.value.length;
  let lines = first.done ? 0 : first.value.reduce((n, byte) => n + (byte === 10 ? 1 : 0), 0);
  const until = performance.now() + Number(flags["stream-seconds"]) * 1000;
  while (performance.now() < until) {
    const next = await chunks.next();
    if (next.done) break;
    bytes += next.value.length;
    lines += next.value.reduce((n, byte) => n + (byte === 10 ? 1 : 0), 0);
  }
  const seconds = (performance.now() - started) / 1000;
  await chunks.return(undefined);
  const { rows } = await pool.query("SELECT $1::int - count(*)::int AS n FROM training_log WHERE prepared_with IS NULL", [ids.length]);
  for (let i = 0; i < ids.length; i += 1_000) {
    await pool.query("UPDATE training_log SET prepared_with = $1 WHERE id = ANY($2::uuid[]) AND prepared_with IS NULL", [fingerprint, ids.slice(i, i + 1_000).map((r) => r.id)]);
  }
  console.log(`  export ready to answer (headers)  ${headers.toFixed(0).padStart(8)} ms`);
  console.log(`  first byte                        ${firstByte.toFixed(0).padStart(8)} ms`);
  console.log(
    `  streamed while preparing          ${lines.toLocaleString().padStart(8)} lines (${(bytes / 2 ** 20).toFixed(1)} MB) in ${seconds.toFixed(1)} s, ${(lines / seconds).toFixed(0)} lines/s; ${rows[0].n.toLocaleString()} of the ${ids.length.toLocaleString()} prepared meanwhile (the generated texts, once redacted, are mostly duplicates: few new lines)`,
  );
  console.log(`  load average: ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
}

function line(label: string, run: Run) {
  const mb = run.bytes / 2 ** 20;
  return `  ${label.padEnd(34)} ${(run.rows / run.seconds).toFixed(0).padStart(8)} rows/s  ${(mb / run.seconds).toFixed(1).padStart(6)} MB/s  ${run.seconds.toFixed(2).padStart(6)} s  ${mb.toFixed(0)} MB${run.peakMb ? `  peak RSS ${run.peakMb.toFixed(0)} MB` : ""}`;
}

async function main() {
  if (flags["child-export"]) return childExport(flags.url!, flags["child-export"]);
  const cpus = os.cpus();
  console.log(`Machine: ${cpus.length} cores (a ${cpus.length}-core machine), ${cpus[0]?.model ?? "unknown CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
  const database = await startEmbeddedDatabase({ dataDir: path.join(DATA_DIR, "postgres"), database: "bench_training" });
  try {
    await runMigrations(database.url);
    useDatabaseUrl(database.url);
    const pool = getPool();
    const rows = await generate(pool);
    await forgetBenchDatasets(pool);
    await pool.query("CHECKPOINT");
    if (RUNS === 0) return void (await runUnprepared(pool), await closeDb());
    const out = path.join(DATA_DIR, "export.jsonl");
    const copyOut = path.join(DATA_DIR, "copy.tsv");
    console.log(`▸ ${rows.toLocaleString()} examples; ${RUNS} runs each, alternating; best run shown`);
    const exports: Run[] = [];
    const copies: Run[] = [];
    const redownloads: Run[] = [];
    const lineages: { median: number; max: number; n: number }[] = [];
    for (let i = 0; i < RUNS; i++) {
      copies.push(await runCopy(database.url, copyOut));
      const run = await runExport(database.url, out);
      exports.push(run);
      redownloads.push(await runRedownload(run.datasetId, out));
      lineages.push(await runLineage(pool, run.datasetId));
      await forgetBenchDatasets(pool);
    }
    const best = (runs: Run[]) => runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    const [exp, copy] = [best(exports), best(copies)];
    const peak = Math.max(...exports.map((r) => r.peakMb ?? NaN));
    console.log(`\nExport benchmark: ${rows.toLocaleString()} training examples, ${cpus.length}-core machine`);
    const again = best(redownloads);
    console.log(line("export (choose, stream, record)", exp));
    console.log(line("COPY (SELECT …) TO STDOUT", copy));
    console.log(line("download of the snapshot again", again));
    const ratio = exp.rows / exp.seconds / (copy.rows / copy.seconds);
    console.log(`  ${"export / COPY rows/s".padEnd(34)} ${ratio.toFixed(2).padStart(8)}`);
    const lineage = lineages.at(-1)!;
    console.log(`  ${"lineage example → datasets".padEnd(34)} ${lineage.median.toFixed(1).padStart(8)} ms median, ${lineage.max.toFixed(1)} ms slowest (${lineage.n} examples, 1 snapshot of ${exp.rows.toLocaleString()})`);
    console.log(
      `  all runs (s): export ${exports.map((r) => r.seconds.toFixed(2)).join(", ")}; COPY ${copies.map((r) => r.seconds.toFixed(2)).join(", ")}; again ${redownloads.map((r) => r.seconds.toFixed(2)).join(", ")}`,
    );
    console.log(`  load average during the runs: ${os.loadavg().map((l) => l.toFixed(1)).join(" ")} (other work on the machine slows both sides)`);
    console.log(`\n  ${ratio >= 0.5 ? "PASS" : "FAIL"}  export rate >= 1/2 of COPY   (${ratio.toFixed(2)})`);
    console.log(`  ${peak < 300 ? "PASS" : "FAIL"}  peak RSS < 300 MB            (${peak.toFixed(0)} MB: the whole export process; ${exp.baselineMb?.toFixed(0)} MB of it before the export started)`);
    if (Number(flags.unprepared) > 0) await runUnprepared(pool);
    await closeDb();
  } finally {
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`\n✖ ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
