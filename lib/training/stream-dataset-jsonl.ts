import "server-only";
import { createHash } from "node:crypto";
import Cursor from "pg-cursor";
import { getPool } from "@/lib/db/client";
import { UserError } from "@/lib/errors";
import { serializeJsonlExample, toJsonlExample, type DatasetSettings } from "@/lib/training/export-jsonl";

const ROWS_PER_READ = 5_000;
const CHUNK_CHARS = 256 * 1024;

/**
 * The file of a recorded snapshot again (a download from /training/datasets, the upload of the
 * weekly job), in the recorded order, from the examples' cleaned texts and the recorded system
 * prompt: the same bytes as the first time unless an example was edited since. `onDone` gets the
 * SHA-256 of what was streamed, to compare with the recorded one.
 */
export async function* streamDatasetJsonl(
  datasetId: string,
  { split, onDone }: { split?: "train" | "validation"; onDone?: (sha256: string) => void } = {},
): AsyncGenerator<Buffer, void, undefined> {
  const pool = getPool();
  const { rows } = await pool.query("SELECT status, settings FROM datasets WHERE id = $1", [datasetId]);
  if (!rows[0]) throw new UserError({ code: "not_found", status: 404, message: "No such dataset." });
  if (rows[0].status !== "complete") {
    throw new UserError({ code: "dataset_incomplete", status: 409, message: "This export did not finish, so there is no file to download. Start a new export." });
  }
  const { systemPrompt } = rows[0].settings as DatasetSettings;
  const client = await pool.connect();
  const hash = createHash("sha256");
  try {
    await client.query("BEGIN READ ONLY");
    await client.query("SET LOCAL enable_sort = off"); // file order straight from the primary key
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
    let chunk = "";
    let pending: Promise<[string, string][]> = cursor.read(ROWS_PER_READ);
    for (;;) {
      const batch = await pending;
      if (batch.length === 0) break;
      pending = cursor.read(ROWS_PER_READ);
      for (const [prompt, completion] of batch) chunk += serializeJsonlExample(toJsonlExample({ systemPrompt, prompt, completion })) + "\n";
      if (chunk.length >= CHUNK_CHARS) {
        const bytesOut = Buffer.from(chunk);
        hash.update(bytesOut);
        chunk = "";
        yield bytesOut;
      }
    }
    await cursor.close();
    if (chunk) {
      const bytesOut = Buffer.from(chunk);
      hash.update(bytesOut);
      yield bytesOut;
    }
    onDone?.(hash.digest("hex"));
  } finally {
    await client.query("COMMIT").catch(() => {});
    client.release();
  }
}
