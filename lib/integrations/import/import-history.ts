import "server-only";
import { createHash } from "node:crypto";
import { getPool } from "@/lib/db/client";
import { readEnv } from "@/lib/env";
import { isUsableCompletion } from "@/lib/feedback/completion-quality";
import { hashPrompt } from "@/lib/feedback/normalize-prompt";
import { inferLabel, labelSettingsFrom, measureEdit } from "@/lib/integrations/infer-label";
import type { RecordReader } from "@/lib/integrations/import/read-records";
import { importLineSchema } from "@/lib/integrations/import/schemas";
import { scheduleGrouping } from "@/lib/meaning/schedule-grouping";

export type ImportStats = { lines: number; imported: number; duplicates: number; failed: number; bytes: number };

const BATCH = 2_000;

// One statement per batch: the replays (a repeat of a line already imported, by import_key, is
// skipped), their training examples, and the run's checkpoint, so the checkpoint never claims a
// line that is not stored, and a resumed run starts exactly after the last stored batch.
const INSERT_BATCH_SQL = `
WITH input AS (
  SELECT DISTINCT ON (import_key) * FROM unnest($1::text[], $2::text[], $3::text[], $4::feedback[], $5::boolean[], $6::text[], $7::text[], $8::text[],
                       $9::text[], $10::text[], $11::text[], $12::timestamptz[], $13::text[], $14::training_example_status[], $15::text[],
                       $21::int[], $22::real[])
    AS i(message, ai_reply, agent_reply, feedback, inferred, ticket_id, agent_email, topic, model, prompt_hash, customer_name, created_at,
         completion, example_status, import_key, edit_distance, edit_ratio)
  -- A line imported before is skipped here, before any row trigger runs for it.
  WHERE NOT EXISTS (SELECT 1 FROM feedback_replay_log f WHERE f.import_key = i.import_key)
), r AS (
  INSERT INTO feedback_replay_log
    (message, ai_reply, agent_reply, feedback, feedback_inferred, status, ticket_id, topic, model, source, prompt_hash,
     agent_email, agent_id, created_at, submitted_at, customer_name, import_key, edit_distance, edit_ratio)
  SELECT i.message, i.ai_reply, i.agent_reply, i.feedback, i.inferred, 'submitted', i.ticket_id, i.topic, i.model, 'import', i.prompt_hash,
    i.agent_email, u.id, i.created_at, i.created_at, i.customer_name, i.import_key, i.edit_distance, i.edit_ratio
  FROM input i LEFT JOIN users u ON u.email = i.agent_email
  ON CONFLICT (import_key) WHERE import_key IS NOT NULL DO NOTHING
  RETURNING id, feedback, import_key
), t AS (
  INSERT INTO training_log (prompt, completion, status, replay_id, created_at)
  SELECT i.message, i.completion, i.example_status, r.id, i.created_at FROM r JOIN input i USING (import_key) WHERE r.feedback = 'no'
), run AS (
  UPDATE import_runs SET lines_done = $17, bytes_done = $18, imported = imported + (SELECT count(*) FROM r),
    duplicates = duplicates + $19 - (SELECT count(*) FROM r), failed = failed + $20, updated_at = now()
  WHERE id = $16
)
SELECT count(*)::int AS imported FROM r`;

type Columns = { [K in "message" | "aiReply" | "agentReply" | "feedback" | "ticketId" | "agentEmail" | "topic" | "model" | "hash" | "customerName" | "completion" | "status" | "key"]: (string | null)[] } & {
  inferred: boolean[];
  createdAt: Date[];
  distance: number[];
  ratio: number[];
};

const emptyColumns = (): Columns => ({
  message: [], aiReply: [], agentReply: [], feedback: [], inferred: [], ticketId: [], agentEmail: [], topic: [], model: [], hash: [],
  customerName: [], createdAt: [], completion: [], status: [], key: [], distance: [], ratio: [],
});

/** A line's identity: ticket id + message. A second import of the same line stores nothing. */
export function importKey(ticketId: string, message: string): string {
  return createHash("md5").update(ticketId).update("\n").update(message).digest("hex");
}

/**
 * Imports a team's history from a stream of file bytes, read by `reader` (JSONL or CSV), into
 * replays (source 'import', created_at = the line's time) with their training examples. Streams:
 * at most two batches of rows in memory, one being written while the next is read. Each batch
 * commits with the run's checkpoint (`import_runs`), so an interrupted import resumes after the
 * last stored line. A bad line is reported (`onBadLine`) with its number and never stops the others.
 * Grouping is scheduled after each batch (rows are written without a group).
 */
export async function importHistory({
  bytes,
  reader,
  runId,
  start = { lines: 0, bytes: 0 },
  onProgress,
  onBadLine,
  scheduleGroups = true,
}: {
  bytes: AsyncIterable<Buffer>;
  reader: RecordReader;
  runId: string;
  start?: { lines: number; bytes: number };
  onProgress?: (stats: ImportStats) => void;
  onBadLine?: (line: number, message: string) => void;
  scheduleGroups?: boolean;
}): Promise<ImportStats> {
  const settings = labelSettingsFrom(readEnv());
  const stats: ImportStats = { lines: 0, imported: 0, duplicates: 0, failed: 0, bytes: start.bytes };
  let columns = emptyColumns();
  let count = 0;
  let failedInBatch = 0;
  let lastLine = start.lines;
  let lastOffset = start.bytes;
  let writing: Promise<void> = Promise.resolve();

  const flush = () => {
    const batch = columns;
    const rows = count;
    const failed = failedInBatch;
    const [line, offset] = [lastLine, lastOffset];
    columns = emptyColumns();
    count = 0;
    failedInBatch = 0;
    const previous = writing;
    writing = (async () => {
      await previous;
      const { rows: result } = await getPool().query<{ imported: number }>(INSERT_BATCH_SQL, [
        batch.message, batch.aiReply, batch.agentReply, batch.feedback, batch.inferred, batch.ticketId, batch.agentEmail, batch.topic,
        batch.model, batch.hash, batch.customerName, batch.createdAt, batch.completion, batch.status, batch.key,
        runId, line, offset, rows, failed, batch.distance, batch.ratio,
      ]);
      const imported = result[0]!.imported;
      stats.imported += imported;
      stats.duplicates += rows - imported;
      stats.bytes = offset;
      if (imported > 0 && scheduleGroups) scheduleGrouping();
      onProgress?.(stats);
    })();
    return writing;
  };

  const emit = (line: number, end: number, record: Record<string, unknown> | Error) => {
    stats.lines++;
    lastLine = line;
    lastOffset = end;
    if (record instanceof Error) {
      stats.failed++;
      failedInBatch++;
      onBadLine?.(line, `line ${line} ${record.message}`);
      return;
    }
    const parsed = importLineSchema.safeParse(record);
    if (!parsed.success) {
      stats.failed++;
      failedInBatch++;
      const issue = parsed.error.issues[0]!;
      onBadLine?.(line, `line ${line}: ${issue.path.length ? `${issue.path.join(".")}: ` : ""}${issue.message}`);
      return;
    }
    const v = parsed.data;
    const usable = isUsableCompletion(v.agentReply);
    const edit = measureEdit(v.aiReply ?? "", v.agentReply);
    const feedback = v.feedback ?? inferLabel({ draft: v.aiReply ?? null, sent: v.agentReply, tags: [], settings, ratio: edit.ratio });
    columns.message.push(v.message);
    columns.aiReply.push(v.aiReply ?? "");
    columns.agentReply.push(v.agentReply);
    columns.feedback.push(feedback);
    columns.inferred.push(v.feedback === undefined);
    columns.ticketId.push(v.ticketId);
    columns.agentEmail.push(v.agentEmail?.toLowerCase() ?? null);
    columns.topic.push(v.topic ?? null);
    columns.model.push(v.model ?? "unknown");
    columns.hash.push(hashPrompt(v.message));
    columns.customerName.push(v.customerName?.trim() || null);
    columns.createdAt.push(v.createdAt ?? new Date());
    columns.completion.push(usable ? v.agentReply.trim() : "");
    columns.status.push(usable ? "ready" : "needs_completion");
    columns.key.push(importKey(v.ticketId, v.message));
    columns.distance.push(edit.distance);
    columns.ratio.push(edit.ratio);
    count++;
  };

  try {
    for await (const chunk of bytes) {
      reader.push(chunk, emit);
      if (count >= BATCH) {
        // At most one batch in flight while the next one is read.
        const previous = writing;
        flush();
        await previous;
      }
    }
    reader.end(emit);
    if (count > 0 || lastOffset !== stats.bytes) flush();
    await writing;
  } catch (error) {
    writing.catch(() => {});
    throw error;
  }
  return stats;
}
