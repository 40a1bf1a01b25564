/**
 * `npm run bench:import -- [--lines 1000000] [--format jsonl|csv]`
 *
 * Writes a history file of N lines (letters-only random words, realistic lengths: a ~15-word
 * message, a ~25-word draft and reply; a third labelled, the rest inferred; 1 in 10 'not useful')
 * under .data/bench-import, then imports it into its own embedded PostgreSQL (emptied first)
 * exactly as `npm run cli -- import` does (stream → reader → batches of 2,000 in one statement
 * each with the checkpoint), and imports it again (every line a duplicate). Prints lines/s, MB/s
 * and the peak RSS per quarter of the run. Targets (issue 16): ≥ 10,000 lines/s, flat memory.
 */
import { createReadStream, createWriteStream, existsSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { closeDb, getPool, useDatabaseUrl } from "@/lib/db/client";
import { startEmbeddedDatabase } from "@/lib/db/embedded";
import { runMigrations } from "@/lib/db/migrate";
import { importHistory } from "@/lib/integrations/import/import-history";
import { createCsvReader, createJsonlReader } from "@/lib/integrations/import/read-records";
import { startImportRun } from "@/lib/integrations/import/start-import-run";

const DATA_DIR = path.join(".data", "bench-import");
const { values: flags } = parseArgs({ options: { lines: { type: "string", default: "1000000" }, format: { type: "string", default: "jsonl" } } });
const LINES = Number(flags.lines);
const FORMAT = flags.format === "csv" ? "csv" : "jsonl";

function rssMb(): number {
  return process.memoryUsage().rss / 2 ** 20;
}
function peakRssMb(): number {
  const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))?.[1]);
  return kb ? kb / 1024 : rssMb();
}

const letters = "abcdefghijklmnopqrstuvwxyz";
let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const word = () => {
  let w = "";
  for (let i = 3 + Math.floor(random() * 6); i > 0; i--) w += letters[Math.floor(random() * 26)];
  return w;
};
const words = (n: number) => Array.from({ length: n }, word).join(" ");

async function writeFile(file: string) {
  if (existsSync(file) && statSync(file).size > 0 && readFileSync(`${file}.lines`, "utf8").trim() === String(LINES)) return;
  console.log(`▸ Writing ${LINES.toLocaleString("en")} lines to ${file} (once)…`);
  const out = createWriteStream(file);
  if (FORMAT === "csv") out.write("ticketId,message,aiReply,agentReply,feedback,agentEmail,createdAt\n");
  const start = Date.UTC(2026, 0, 1);
  for (let i = 0; i < LINES; i++) {
    const draft = `${words(24)}.`;
    const reply = i % 10 === 0 ? `${words(26)}.` : `${draft} ${word()}`;
    const feedback = i % 3 === 0 ? (i % 10 === 0 ? "no" : "yes") : undefined;
    const line = { ticketId: `BENCH-${i}`, message: `${words(15)}?`, aiReply: draft, agentReply: reply, feedback, agentEmail: `agent${i % 50}@example.com`, createdAt: new Date(start + i * 20_000).toISOString() };
    const text =
      FORMAT === "csv"
        ? `${line.ticketId},"${line.message}","${line.aiReply}","${line.agentReply}",${feedback ?? ""},${line.agentEmail},${line.createdAt}\n`
        : `${JSON.stringify(line)}\n`;
    if (!out.write(text)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
  createWriteStream(`${file}.lines`).end(String(LINES));
}

async function importOnce(file: string, label: string) {
  const run = await startImportRun({ fileKey: `bench:${label}:${Date.now()}`, fileName: path.basename(file) });
  const size = statSync(file).size;
  const quarters: number[] = [];
  const started = performance.now();
  const stats = await importHistory({
    bytes: createReadStream(file, { highWaterMark: 256 * 1024 }),
    reader: FORMAT === "csv" ? createCsvReader() : createJsonlReader(),
    runId: run.id,
    scheduleGroups: false,
    onProgress: (s) => {
      const quarter = Math.min(3, Math.floor((s.bytes / size) * 4));
      quarters[quarter] = Math.max(quarters[quarter] ?? 0, rssMb());
    },
  });
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${label}: ${stats.lines.toLocaleString("en")} lines in ${seconds.toFixed(1)} s = ${Math.round(stats.lines / seconds).toLocaleString("en")} lines/s, ` +
      `${(size / 1e6 / seconds).toFixed(1)} MB/s; imported ${stats.imported.toLocaleString("en")}, duplicates ${stats.duplicates.toLocaleString("en")}, bad ${stats.failed}; ` +
      `RSS per quarter ${quarters.map((q) => Math.round(q ?? 0)).join(" / ")} MB, peak ${Math.round(peakRssMb())} MB`,
  );
}

async function main() {
  console.log(`bench:import — ${LINES.toLocaleString("en")} lines (${FORMAT}), ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)}`);
  const database = await startEmbeddedDatabase({ dataDir: path.join(DATA_DIR, "postgres") });
  try {
    await runMigrations(database.url);
    useDatabaseUrl(database.url);
    const file = path.join(DATA_DIR, `history.${FORMAT}`);
    await writeFile(file);
    await getPool().query("TRUNCATE feedback_replay_log, training_log, import_runs, failure_analyses, analytics_daily CASCADE");
    await importOnce(file, "first import");
    await importOnce(file, "second import (all duplicates)");
    console.log(`load average after: ${os.loadavg()[0]!.toFixed(1)}`);
  } finally {
    await closeDb();
    await database.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
