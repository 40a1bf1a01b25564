import "server-only";
import { createHash } from "node:crypto";
import { getPool } from "@/lib/db/client";
import { UserError } from "@/lib/errors";
import { createJsonlBuffer } from "@/lib/training/create-jsonl-buffer";
import type { DatasetSettings } from "@/lib/training/export-jsonl";
import { createCopyBinaryParser } from "@/lib/training/parse-copy-binary";
import { streamCopyOut } from "@/lib/training/stream-copy-out";

const CHUNK_BYTES = 256 * 1024;

/**
 * The file of a recorded snapshot again (a download from /training/datasets, the upload of the
 * weekly job), in the recorded order, from the examples' cleaned texts and the recorded system
 * prompt: the same bytes as the first time unless an example was edited since. `onDone` gets the
 * SHA-256 of what was streamed, to compare with the recorded one.
 *
 * One binary COPY per dataset_chunks row (10,000 members), in one REPEATABLE READ transaction so
 * that every chunk sees the same data. The chunk's ids, in order, drive a nested loop of lookups
 * by primary key: PostgreSQL 18 knows `WITH ORDINALITY` output is already in `n` order, so rows
 * stream out as they are found, no sort in between (an older server sorts each chunk, a few MB).
 * Finding a million examples by id is most of the cost (~6 s on our 2-core machine, as with one
 * row per member before), so the texts come raw and are escaped here, beside it.
 */
export async function* streamDatasetJsonl(
  datasetId: string,
  { split, onDone }: { split?: "train" | "validation"; onDone?: (sha256: string) => void } = {},
): AsyncGenerator<Buffer, void, undefined> {
  const pool = getPool();
  const { rows } = await pool.query("SELECT status, settings, format FROM datasets WHERE id = $1", [datasetId]);
  if (!rows[0]) throw new UserError({ code: "not_found", status: 404, message: "No such dataset." });
  if (rows[0].status !== "complete") {
    throw new UserError({ code: "dataset_incomplete", status: 409, message: "This export did not finish, so there is no file to download. Start a new export." });
  }
  const { systemPrompt } = rows[0].settings as DatasetSettings;
  const dpo = rows[0].format === "dpo";
  const client = await pool.connect();
  const hash = createHash("sha256");
  const lines = createJsonlBuffer({ systemPrompt, chunkBytes: CHUNK_BYTES, texts: "utf8", format: dpo ? "dpo" : "sft" });
  const emit = (chunk: Buffer) => {
    hash.update(chunk);
    return chunk;
  };
  let finished = false;
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    await client.query("SET LOCAL work_mem = '32MB'"); // for a server that sorts each chunk
    const chunks = await client.query<{ first_ordinal: number }>("SELECT first_ordinal FROM dataset_chunks WHERE dataset_id = $1 ORDER BY first_ordinal", [datasetId]);
    const side = split === undefined ? "" : `AND m.validation = ${split === "validation"}`;
    for (const { first_ordinal: firstOrdinal } of chunks.rows) {
      // Binary COPY takes no parameters: a uuid that matched a row, quoted, and an integer.
      const fromChunk = `FROM dataset_chunks WHERE dataset_id = ${client.escapeLiteral(datasetId)}::uuid AND first_ordinal = ${Number(firstOrdinal)}`;
      const sql = `COPY (
          SELECT t.clean_prompt, t.clean_completion${dpo ? ", t.clean_rejected" : ""}
          FROM unnest((SELECT example_ids ${fromChunk}), (SELECT validation ${fromChunk})) WITH ORDINALITY AS m(example_id, validation, n)
          JOIN training_log t ON t.id = m.example_id
          WHERE true ${side}
          ORDER BY m.n
        ) TO STDOUT (FORMAT binary)`;
      const parser = dpo
        ? createCopyBinaryParser(3, (data, f) => lines.add(data, f[0]!, f[1]!, f[2]!, f[3]!, f[4]!, f[5]!))
        : createCopyBinaryParser(2, (data, f) => lines.add(data, f[0]!, f[1]!, f[2]!, f[3]!));
      for await (const _ of streamCopyOut({ client, sql, onData: parser.push, full: () => lines.full })) {
        for (let chunk = lines.take(); chunk; chunk = lines.take()) yield emit(chunk);
      }
      parser.end();
    }
    await client.query("COMMIT");
    finished = true;
    for (let chunk = lines.take({ all: true }); chunk; chunk = lines.take({ all: true })) yield emit(chunk);
    onDone?.(hash.digest("hex"));
  } finally {
    // A download stopped midway may leave a COPY running: its connection is closed, not reused.
    client.release(!finished);
  }
}
