import "server-only";
import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { recordAudit } from "@/lib/audit/record-audit";
import type { AuditActor } from "@/lib/audit/schemas";
import { getPool } from "@/lib/db/client";
import { readEnv } from "@/lib/env";
import { UserError } from "@/lib/errors";
import { importHistory } from "@/lib/integrations/import/import-history";
import { createCsvReader, createJsonlReader } from "@/lib/integrations/import/read-records";
import { finishImportRun, startImportRun } from "@/lib/integrations/import/start-import-run";

/** The admin page's upload limit. The file is streamed to disk, never held in memory. */
export const IMPORT_UPLOAD_MAX_BYTES = 100 * 1024 * 1024;
const BAD_LINES_KEPT = 20;

async function* limited(chunks: AsyncIterable<Uint8Array>, maxBytes: number): AsyncIterable<Uint8Array> {
  let size = 0;
  for await (const chunk of chunks) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      throw new UserError({
        code: "payload_too_large",
        status: 413,
        message: `The file is larger than ${maxBytes / 1024 / 1024} MB: import it with npm run cli -- import FILE instead.`,
      });
    }
    yield chunk;
  }
}

/**
 * An admin's upload from /admin/integrations. The body is streamed to a file under DATA_DIR
 * (so the request ends as soon as the upload does, whatever the import's pace), then imported in
 * the background exactly as the CLI does, its progress in `import_runs` (the page polls it). The
 * import is idempotent by ticket id + message: uploading the file again stores nothing new.
 */
export async function startUploadImport({
  body,
  fileName,
  format,
  actor,
}: {
  body: AsyncIterable<Uint8Array>;
  fileName: string;
  format: "jsonl" | "csv";
  actor: AuditActor;
}): Promise<{ runId: string }> {
  const directory = path.resolve(readEnv().DATA_DIR, "imports");
  await mkdir(directory, { recursive: true });
  const file = path.join(directory, `${randomUUID()}.${format}`);
  try {
    await pipeline(Readable.from(limited(body, IMPORT_UPLOAD_MAX_BYTES)), createWriteStream(file));
  } catch (error) {
    await rm(file, { force: true });
    throw error;
  }
  const run = await startImportRun({ fileKey: `upload:${path.basename(file)}`, fileName });
  if ((await stat(file)).size === 0) {
    // Nothing to import: done before the answer.
    await finishImportRun(run.id);
    await rm(file, { force: true });
    return { runId: run.id };
  }
  void runInBackground({ file, runId: run.id, fileName, format, actor });
  return { runId: run.id };
}

async function runInBackground({ file, runId, fileName, format, actor }: { file: string; runId: string; fileName: string; format: "jsonl" | "csv"; actor: AuditActor }) {
  const bad: string[] = [];
  try {
    await importHistory({
      // Small reads: each chunk's parsing holds the server's event loop for a few ms only.
      bytes: createReadStream(file, { highWaterMark: 64 * 1024 }),
      reader: format === "csv" ? createCsvReader() : createJsonlReader(),
      runId,
      onBadLine: (_line, message) => {
        if (bad.length >= BAD_LINES_KEPT) return;
        bad.push(message);
        void getPool().query("UPDATE import_runs SET bad_lines = $2 WHERE id = $1", [runId, bad]).catch(() => {});
      },
    });
    const totals = await finishImportRun(runId);
    await recordAudit({ actor, action: "integrations.import", target: fileName, details: { ...totals, format, via: "upload" } });
  } catch (error) {
    console.error("[import]", error instanceof Error ? error.message : error);
    await getPool().query("UPDATE import_runs SET status = 'failed', updated_at = now() WHERE id = $1", [runId]).catch(() => {});
  } finally {
    await rm(file, { force: true });
  }
}
