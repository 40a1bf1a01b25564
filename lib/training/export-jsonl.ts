import "server-only";
import { createHash } from "node:crypto";
import { once } from "node:events";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import Cursor from "pg-cursor";
import { getPool } from "@/lib/db/client";
import { toChatMessages } from "@/lib/training/clean-example";
import { createSeenKeys } from "@/lib/training/create-seen-keys";
import { defaultSince } from "@/lib/training/find-worst-prompts";
import { prepareExamples } from "@/lib/training/prepare-examples";
import { readTrainingSettings, type TrainingSettings } from "@/lib/training/read-training-settings";
import { splitSql } from "@/lib/training/split-dataset";
import { createJsonlValidator } from "@/lib/training/validate-jsonl";

export type DatasetSource = "approved" | "worst-prompts";
export type DatasetSplit = "all" | "train" | "validation";

export type DatasetRequest = {
  /** "approved": what managers approved. "worst-prompts": what the weekly job sends (review not required). */
  source: DatasetSource;
  split?: DatasetSplit;
  /** worst-prompts only: the window and the threshold (defaults from the environment). */
  since?: Date;
  threshold?: number;
  /** Who or what made it: "web", "api", "cli", "cron", … and the user or API key behind it. */
  createdVia: string;
  createdBy?: string | null;
  apiKeyId?: string | null;
  settings?: TrainingSettings;
};

/** Recorded with the snapshot, so that its file can be made again byte for byte. */
export type DatasetSettings = {
  since: string | null;
  threshold: number | null;
  maxTokens: number;
  validationShare: number;
  systemPrompt: string | null;
  fingerprint: string;
};

export type DatasetStart = { id: string; source: DatasetSource; split: DatasetSplit; settings: DatasetSettings };

const ROWS_PER_READ = 1_000;
const CHUNK_CHARS = 256 * 1024;

/** One example in OpenAI's chat fine-tuning format: `{"messages":[…]}`, one line of the file. */
export function toJsonlExample({ systemPrompt, prompt, completion }: { systemPrompt: string | null; prompt: string; completion: string }) {
  return { messages: toChatMessages({ systemPrompt, prompt, completion }) };
}

/**
 * The same text as JSON.stringify(example), built from the escaped strings only: an export
 * serialises millions of these, and skipping the object walk makes it about a third faster.
 */
export function serializeJsonlExample(example: ReturnType<typeof toJsonlExample>): string {
  let line = '{"messages":[';
  for (let i = 0; i < example.messages.length; i++) {
    const m = example.messages[i]!;
    line += `${i ? "," : ""}{"role":"${m.role}","content":${JSON.stringify(m.content)}}`;
  }
  return line + "]}";
}

// The candidates, oldest first: the first of duplicates is kept. Approved ones come in that order
// straight from the (review_status, created_at, id) index; a worst-prompts set is small and sorted.
// Texts only for usable ones. Worst prompts: groups with more than $4 "no" since $3 (the same rule
// as findWorstPrompts); rejected and merged examples never leave.
function candidatesSql(source: DatasetSource): string {
  const filter =
    source === "approved"
      ? "t.review_status = 'approved'"
      : `t.review_status IN ('pending', 'approved') AND t.prompt_group_id IN (
           SELECT prompt_group_id FROM feedback_replay_log
           WHERE feedback = 'no' AND created_at >= $3 AND prompt_group_id IS NOT NULL
           GROUP BY prompt_group_id HAVING count(*) > $4)`;
  const split = splitSql("coalesce(t.prompt_group_id::text, t.id::text)", "$1");
  return `
SELECT id, split, status = 'ready' AND dedupe_key IS NOT NULL AS usable, dedupe_key, token_count,
       CASE WHEN status = 'ready' THEN clean_prompt END, CASE WHEN status = 'ready' THEN clean_completion END
FROM (
  SELECT t.*, ${split} AS split FROM training_log t WHERE ${filter}
) t
WHERE $2::text = 'all' OR split = $2::text
ORDER BY created_at, id`;
}

type CandidateRow = [id: string, split: "train" | "validation", usable: boolean, dedupeKey: string | null, tokenCount: number | null, prompt: string | null, completion: string | null];

/**
 * The export: chooses the examples, streams them as JSONL (OpenAI chat format) and records the
 * dataset snapshot as it goes, in one pass with flat memory however many examples there are.
 *
 * - Hygiene first: every example is redacted, token-counted and duplicate-keyed with the current
 *   settings (prepareExamples) before it can be chosen.
 * - A server-side cursor reads the candidates; the next batch is requested before this one is
 *   serialised, so PostgreSQL and this process work at the same time.
 * - Exact and near duplicates (same dedupe key), unusable completions and examples over the token
 *   limit are dropped and counted; every line is checked by the format validator.
 * - Which examples went into the file is written back through COPY … FROM STDIN on a second
 *   connection while the file streams; a stream that stops early rolls that back and marks the
 *   snapshot aborted. When the file is complete the snapshot gets its counts, SHA-256, size and
 *   the validator's report.
 */
export async function exportJsonl(request: DatasetRequest): Promise<{ dataset: DatasetStart; chunks: AsyncGenerator<Buffer, void, undefined> }> {
  const settings = request.settings ?? readTrainingSettings();
  const split = request.split ?? "all";
  const worst = request.source === "worst-prompts";
  const since = worst ? (request.since ?? defaultSince(settings.windowDays)) : null;
  const threshold = worst ? (request.threshold ?? settings.threshold) : null;
  await prepareExamples({ settings });

  const recorded: DatasetSettings = {
    since: since?.toISOString() ?? null,
    threshold,
    maxTokens: settings.maxTokens,
    validationShare: settings.validationShare,
    systemPrompt: settings.systemPrompt,
    fingerprint: settings.fingerprint,
  };
  const { rows } = await getPool().query(
    `INSERT INTO datasets (source, split, created_via, created_by, api_key_id, settings) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [request.source, split, request.createdVia, request.createdBy ?? null, request.apiKeyId ?? null, JSON.stringify(recorded)],
  );
  const dataset: DatasetStart = { id: String(rows[0].id), source: request.source, split, settings: recorded };
  const params: unknown[] = [settings.validationShare, split];
  if (worst) params.push(since, threshold);
  return { dataset, chunks: streamExport({ dataset, sql: candidatesSql(request.source), params }) };
}

async function* streamExport({ dataset, sql, params }: { dataset: DatasetStart; sql: string; params: unknown[] }): AsyncGenerator<Buffer, void, undefined> {
  const pool = getPool();
  const { maxTokens, systemPrompt } = dataset.settings;
  const reader = await pool.connect();
  let writer: pg.PoolClient | undefined;
  let members: ReturnType<typeof copyFrom> | undefined;
  let finished = false;
  const hash = createHash("sha256");
  const validator = createJsonlValidator();
  const seen = createSeenKeys();
  const counts = { train: 0, validation: 0, duplicate: 0, tooLong: 0, unusable: 0 };
  let bytes = 0;
  try {
    writer = await pool.connect();
    members = writer.query(copyFrom("COPY dataset_examples (dataset_id, ordinal, example_id, split) FROM STDIN"));
    // A failed or rolled-back COPY reports an error event: observed through membersDone.
    members.on("error", () => {});
    const membersDone = once(members, "finish");
    membersDone.catch(() => {});
    await reader.query("BEGIN READ ONLY");
    // Right after many approvals the planner may still think there are few: a million wide rows
    // must never be sorted, the index already has them in order.
    if (dataset.source === "approved") await reader.query("SET LOCAL enable_sort = off");
    const cursor = reader.query(new Cursor(sql, params, { rowMode: "array" }));
    let ordinal = 0;
    let chunk = "";
    let pending: Promise<CandidateRow[]> = cursor.read(ROWS_PER_READ);
    for (;;) {
      const batch = await pending;
      if (batch.length === 0) break;
      pending = cursor.read(ROWS_PER_READ);
      let membership = "";
      for (const [id, side, usable, dedupeKey, tokenCount, prompt, completion] of batch) {
        if (!usable || prompt === null || completion === null) counts.unusable++;
        else if (!seen.addIfNew(dedupeKey!)) counts.duplicate++;
        else if ((tokenCount ?? Infinity) > maxTokens) counts.tooLong++;
        else {
          const example = toJsonlExample({ systemPrompt, prompt, completion });
          validator.example(example);
          chunk += serializeJsonlExample(example) + "\n";
          membership += `${dataset.id}\t${++ordinal}\t${id}\t${side}\n`;
          counts[side]++;
        }
      }
      if (membership && !members.write(membership)) await once(members, "drain");
      if (chunk.length >= CHUNK_CHARS) {
        const bytesOut = Buffer.from(chunk);
        hash.update(bytesOut);
        bytes += bytesOut.length;
        chunk = "";
        yield bytesOut;
      }
    }
    await cursor.close();
    await reader.query("COMMIT");
    if (chunk) {
      const bytesOut = Buffer.from(chunk);
      hash.update(bytesOut);
      bytes += bytesOut.length;
      yield bytesOut;
    }
    members.end();
    await membersDone;
    await pool.query(
      `UPDATE datasets SET status = 'complete', example_count = $2, train_count = $3, validation_count = $4, dropped = $5,
              sha256 = $6, bytes = $7, validation = $8, completed_at = now()
       WHERE id = $1`,
      [
        dataset.id,
        counts.train + counts.validation,
        counts.train,
        counts.validation,
        JSON.stringify({ duplicate: counts.duplicate, tooLong: counts.tooLong, unusable: counts.unusable }),
        hash.digest("hex"),
        bytes,
        JSON.stringify(validator.report()),
      ],
    );
    finished = true;
  } finally {
    if (!finished) {
      // CopyFail: the members written so far are rolled back with the COPY.
      members?.destroy(new Error("export stopped before the end"));
      await reader.query("ROLLBACK").catch(() => {});
      await pool.query("UPDATE datasets SET status = 'aborted', completed_at = now() WHERE id = $1 AND status = 'writing'", [dataset.id]).catch(() => {});
    }
    reader.release();
    writer?.release(!finished);
  }
}
