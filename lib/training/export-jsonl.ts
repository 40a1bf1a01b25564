import "server-only";
import { createHash } from "node:crypto";
import Cursor from "pg-cursor";
import { getPool } from "@/lib/db/client";
import { UserError } from "@/lib/errors";
import { buildDataset, type DatasetRequest, type DatasetSettings, type DatasetSnapshot } from "@/lib/training/build-dataset";
import { toChatMessages } from "@/lib/training/clean-example";
import { createJsonlValidator } from "@/lib/training/validate-jsonl";

const ROWS_PER_READ = 2_000;
const CHUNK_CHARS = 256 * 1024;

/** One example as a line of OpenAI's chat fine-tuning format (without the newline). */
export function toJsonlLine({ systemPrompt, prompt, completion }: { systemPrompt: string | null; prompt: string; completion: string }): string {
  return JSON.stringify({ messages: toChatMessages({ systemPrompt, prompt, completion }) });
}

/**
 * Streams a dataset's JSONL file in chunks, in the order recorded in the snapshot, through a
 * server-side cursor: memory stays flat however many examples there are. The first complete
 * stream records the file's SHA-256, size and the format validator's report on the snapshot; a
 * stream that stops early marks a new snapshot aborted. Later streams re-create the same file
 * from the examples' cleaned texts.
 */
export async function* streamDatasetJsonl(
  datasetId: string,
  { split }: { split?: "train" | "validation" } = {},
): AsyncGenerator<string, void, undefined> {
  const pool = getPool();
  const { rows } = await pool.query("SELECT status, settings FROM datasets WHERE id = $1", [datasetId]);
  if (!rows[0]) throw new UserError({ code: "not_found", status: 404, message: "No such dataset." });
  if (rows[0].status === "aborted") {
    throw new UserError({ code: "dataset_aborted", status: 409, message: "This export was interrupted before it finished. Start a new export." });
  }
  const recordsFile = rows[0].status === "writing" && !split;
  const { systemPrompt } = rows[0].settings as DatasetSettings;

  const client = await pool.connect();
  const cursor = client.query(
    new Cursor(
      `SELECT t.clean_prompt, t.clean_completion
       FROM dataset_examples de JOIN training_log t ON t.id = de.example_id
       WHERE de.dataset_id = $1 AND ($2::example_split IS NULL OR de.split = $2::example_split)
       ORDER BY de.ordinal`,
      [datasetId, split ?? null],
      { rowMode: "array" },
    ),
  );
  const hash = createHash("sha256");
  const validator = createJsonlValidator();
  let bytes = 0;
  let finished = false;
  try {
    let chunk = "";
    for (;;) {
      const batch: [string, string][] = await cursor.read(ROWS_PER_READ);
      if (batch.length === 0) break;
      for (const [prompt, completion] of batch) {
        const line = toJsonlLine({ systemPrompt, prompt, completion });
        validator.line(line);
        chunk += line + "\n";
      }
      if (chunk.length >= CHUNK_CHARS) {
        hash.update(chunk);
        bytes += Buffer.byteLength(chunk);
        yield chunk;
        chunk = "";
      }
    }
    if (chunk) {
      hash.update(chunk);
      bytes += Buffer.byteLength(chunk);
      yield chunk;
    }
    finished = true;
  } finally {
    await cursor.close().catch(() => {});
    client.release();
    if (recordsFile && finished) {
      await pool.query(
        `UPDATE datasets SET status = 'complete', sha256 = $2, bytes = $3, validation = $4, completed_at = now()
         WHERE id = $1 AND status = 'writing'`,
        [datasetId, hash.digest("hex"), bytes, JSON.stringify(validator.report())],
      );
    } else if (recordsFile) {
      await pool.query("UPDATE datasets SET status = 'aborted', completed_at = now() WHERE id = $1 AND status = 'writing'", [datasetId]);
    }
  }
}

/**
 * The export in one call: chooses and records a snapshot (buildDataset), then streams its file.
 * Used by GET /api/training/export, `npm run cli -- export` and, later, the weekly retrain.
 */
export async function exportJsonl(request: DatasetRequest): Promise<{ dataset: DatasetSnapshot; chunks: AsyncGenerator<string, void, undefined> }> {
  const dataset = await buildDataset(request);
  return { dataset, chunks: streamDatasetJsonl(dataset.id) };
}
