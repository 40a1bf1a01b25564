import "server-only";
import { createHash } from "node:crypto";
import { getPool } from "@/lib/db/client";

export type ImportRun = { id: string; linesDone: number; bytesDone: number; resumed: boolean };

/** A file's identity for resuming: its size and the SHA-256 of its first 64 KiB (not its path: it may move). */
export function fileKeyOf(size: number, head: Buffer): string {
  return `file:${size}:${createHash("sha256").update(head).digest("hex")}`;
}

/**
 * The run for this file: the unfinished one (resumed from its checkpoint), or a fresh start when
 * it finished before (a second import of the same file stores nothing new, and says so).
 */
export async function startImportRun({ fileKey, fileName }: { fileKey: string; fileName: string }): Promise<ImportRun> {
  const { rows } = await getPool().query<{ id: string; lines_done: string; bytes_done: string; resumed: boolean }>(
    `INSERT INTO import_runs (file_key, file_name) VALUES ($1, $2)
     ON CONFLICT (file_key) DO UPDATE SET file_name = EXCLUDED.file_name, updated_at = now(),
       lines_done = CASE WHEN import_runs.status = 'done' THEN 0 ELSE import_runs.lines_done END,
       bytes_done = CASE WHEN import_runs.status = 'done' THEN 0 ELSE import_runs.bytes_done END,
       imported = CASE WHEN import_runs.status = 'done' THEN 0 ELSE import_runs.imported END,
       duplicates = CASE WHEN import_runs.status = 'done' THEN 0 ELSE import_runs.duplicates END,
       failed = CASE WHEN import_runs.status = 'done' THEN 0 ELSE import_runs.failed END,
       status = 'running'
     RETURNING id, lines_done, bytes_done, (xmax <> 0 AND bytes_done > 0) AS resumed`,
    [fileKey, fileName],
  );
  const row = rows[0]!;
  return { id: row.id, linesDone: Number(row.lines_done), bytesDone: Number(row.bytes_done), resumed: row.resumed };
}

export async function finishImportRun(id: string): Promise<{ imported: number; duplicates: number; failed: number }> {
  const { rows } = await getPool().query<{ imported: string; duplicates: string; failed: string }>(
    "UPDATE import_runs SET status = 'done', updated_at = now() WHERE id = $1 RETURNING imported, duplicates, failed",
    [id],
  );
  return { imported: Number(rows[0]!.imported), duplicates: Number(rows[0]!.duplicates), failed: Number(rows[0]!.failed) };
}
