import "server-only";
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import path from "node:path";
import { recordAudit } from "@/lib/audit/record-audit";
import { UserError } from "@/lib/errors";
import { importHistory, type ImportStats } from "@/lib/integrations/import/import-history";
import { createCsvReader, createJsonlReader } from "@/lib/integrations/import/read-records";
import { fileKeyOf, finishImportRun, startImportRun } from "@/lib/integrations/import/start-import-run";
import { regroupReplays } from "@/lib/meaning/regroup-replays";

export const IMPORT_USAGE = `  import FILE [--format jsonl|csv] [--no-group]
                                               load past conversations (JSONL or CSV; the fields of
                                               POST /api/feedback-replay + createdAt); resumable, safe to rerun`;

/** The CSV header, read again from the file's start when a run resumes mid-file. */
async function readCsvHeader(file: string): Promise<string[]> {
  const handle = await open(file, "r");
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(64 * 1024), 0, 64 * 1024, 0);
    let names: string[] = [];
    const reader = createCsvReader({ onHeader: (n) => (names = n) });
    const end = buffer.subarray(0, bytesRead).indexOf(0x0a);
    reader.push(buffer.subarray(0, end === -1 ? bytesRead : end + 1), () => {});
    return names;
  } finally {
    await handle.close();
  }
}

function progressLine(stats: ImportStats, total: number, startedAt: number, resumedBytes: number): string {
  const share = total > 0 ? Math.min(1, stats.bytes / total) : 1;
  const width = 30;
  const filled = Math.round(share * width);
  const seconds = Math.max((performance.now() - startedAt) / 1000, 0.001);
  const rate = Math.round(stats.lines / seconds);
  const mb = ((stats.bytes - resumedBytes) / 1e6 / seconds).toFixed(1);
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}%  ${stats.lines.toLocaleString("en")} lines  ${rate.toLocaleString("en")} lines/s  ${mb} MB/s  ${stats.failed.toLocaleString("en")} bad`;
}

/**
 * `npm run cli -- import FILE`: streams the file into replays, with a progress bar on stderr
 * (count and rate), bad lines reported by number without stopping the others, a checkpoint per
 * batch (an interrupted import resumes where it stopped) and, at the end, the grouping of what was
 * imported (so worst prompts and the local model's corrections cover the history).
 */
export async function runImportCli({ file, format, group }: { file: string | undefined; format: string | undefined; group: boolean }): Promise<number> {
  if (!file) throw new UserError({ code: "usage", message: "import needs a FILE (JSONL or CSV)." });
  const absolute = path.resolve(file);
  const info = await stat(absolute).catch(() => null);
  if (!info?.isFile()) throw new UserError({ code: "usage", message: `No such file: ${file}` });
  const kind = format ?? (/\.csv$/i.test(absolute) ? "csv" : "jsonl");
  if (kind !== "csv" && kind !== "jsonl") throw new UserError({ code: "usage", message: "--format must be jsonl or csv." });

  const handle = await open(absolute, "r");
  const head = Buffer.alloc(Math.min(64 * 1024, info.size));
  await handle.read(head, 0, head.length, 0);
  await handle.close();
  const run = await startImportRun({ fileKey: fileKeyOf(info.size, head), fileName: path.basename(absolute) });
  if (run.resumed) console.error(`Resuming after line ${run.linesDone.toLocaleString("en")} (${run.bytesDone.toLocaleString("en")} bytes already imported).`);

  const start = { lines: run.linesDone, bytes: run.bytesDone };
  const reader =
    kind === "csv"
      ? createCsvReader({ firstLine: run.linesDone + 1, offset: run.bytesDone, header: run.bytesDone > 0 ? await readCsvHeader(absolute) : undefined })
      : createJsonlReader({ firstLine: run.linesDone + 1, offset: run.bytesDone });
  const tty = process.stderr.isTTY;
  const startedAt = performance.now();
  let shownAt = 0;
  let shownLines = -1;
  const show = (stats: ImportStats, final = false) => {
    const now = performance.now();
    if (!final && now - shownAt < (tty ? 200 : 5_000)) return;
    // Without a terminal each line stays: the final one only when it says something new.
    if (final && !tty && shownLines === stats.lines) return;
    shownAt = now;
    shownLines = stats.lines;
    const line = progressLine(stats, info.size, startedAt, run.bytesDone);
    process.stderr.write(tty ? `\r${line}${final ? "\n" : ""}` : `${line}\n`);
  };
  let shownBad = 0;
  const stats = await importHistory({
    bytes: createReadStream(absolute, { start: run.bytesDone, highWaterMark: 256 * 1024 }),
    reader,
    runId: run.id,
    start,
    // Grouped once at the end, not in the background while the import runs.
    scheduleGroups: false,
    onProgress: (s) => show(s),
    onBadLine: (_line, message) => {
      // Every bad line is reported (to stderr), up to 1,000; then only counted.
      if (++shownBad <= 1_000) process.stderr.write(`${tty ? "\r\x1b[K" : ""}${message}\n`);
    },
  });
  show(stats, true);
  const totals = await finishImportRun(run.id);
  await recordAudit({ actor: { type: "cli" }, action: "integrations.import", target: path.basename(absolute), details: { ...totals, format: kind } });
  console.log(
    `Imported ${totals.imported.toLocaleString("en")} replays; ${totals.duplicates.toLocaleString("en")} were already there; ${totals.failed.toLocaleString("en")} bad lines.`,
  );
  if (group && totals.imported > 0) {
    console.error("Grouping the imported replays by meaning…");
    const grouped = await regroupReplays();
    console.log(`Grouped ${grouped.replays.toLocaleString("en")} replays into prompt groups.`);
  }
  return totals.failed > 0 ? 2 : 0;
}
