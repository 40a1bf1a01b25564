import "server-only";
import { createHash } from "node:crypto";
import type pg from "pg";
import { getPool } from "@/lib/db/client";
import { createJsonlBuffer, isBlankJsonString } from "@/lib/training/create-jsonl-buffer";
import { createMemberWriter } from "@/lib/training/create-member-writer";
import { createSeenKeys } from "@/lib/training/create-seen-keys";
import { defaultSince } from "@/lib/training/find-worst-prompts";
import { createCopyBinaryParser } from "@/lib/training/parse-copy-binary";
import { prepareExamples } from "@/lib/training/prepare-examples";
import { readTrainingSettings, type TrainingSettings } from "@/lib/training/read-training-settings";
import { createUuidSplitter } from "@/lib/training/split-dataset";
import { streamCopyOut } from "@/lib/training/stream-copy-out";
import { createJsonlValidator } from "@/lib/training/validate-jsonl";
import { createPreferenceValidator } from "@/lib/training/validate-preference-jsonl";

export type DatasetSource = "approved" | "worst-prompts";
export type DatasetSplit = "all" | "train" | "validation";
/** sft: chat lines `{"messages"}`. dpo: preference pairs (the agent's reply preferred, the AI's not). */
export type DatasetFormat = "sft" | "dpo";

export type DatasetRequest = {
  /** "approved": what managers approved. "worst-prompts": what the weekly job sends (review not required). */
  source: DatasetSource;
  split?: DatasetSplit;
  format?: DatasetFormat;
  /** The fewest examples the file's target accepts (the validator's too_few_examples); 10 by default. */
  minExamples?: number;
  /** worst-prompts only: the window and the threshold (defaults from the environment). */
  since?: Date;
  threshold?: number;
  /** Who or what made it: "web", "api", "cli", "cron", … and the user or API key behind it. */
  createdVia: string;
  createdBy?: string | null;
  apiKeyId?: string | null;
  settings?: TrainingSettings;
  /** How examples are prepared while the file streams (the defaults below; tests make slices small). */
  preparing?: { batchSize: number; sliceMs: number };
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

export type DatasetStart = { id: string; source: DatasetSource; split: DatasetSplit; format: DatasetFormat; settings: DatasetSettings };

const CHUNK_BYTES = 256 * 1024;

// The candidates, oldest first: the first of duplicates is kept. Approved ones come in that order
// straight from the (review_status, created_at, id) index; a worst-prompts set is small and sorted.
// Texts only for usable ones. Worst prompts: groups with more than `threshold` "no" since `since`
// (the same rule as findWorstPrompts); rejected and merged examples never leave. Binary COPY
// (parse-copy-binary.ts) takes no parameters: the two values are a timestamp and an integer,
// written as literals. The texts come JSON-escaped (to_json): escaping them here instead measured
// ~0.2 s slower on our 2 cores, this process being the busier side; the split is decided here
// (createUuidSplitter, from the key), where md5 costs a fifth of what it does in SQL.
// DPO: only examples with a preference pair (training_log.clean_rejected, set by prepareExamples),
// and the AI's redacted reply as a ninth field.
function candidatesSql({ source, since, threshold, quote, format, range }: { source: DatasetSource; since: Date | null; threshold: number | null; quote: (value: string) => string; format: DatasetFormat; range: string }): string {
  let filter = "t.review_status = 'approved'";
  if (source === "worst-prompts") {
    if (!since || !Number.isInteger(threshold)) throw new Error("worst-prompts needs since and a whole-number threshold");
    filter = `t.review_status IN ('pending', 'approved') AND t.prompt_group_id IN (
           SELECT prompt_group_id FROM feedback_replay_log
           WHERE feedback = 'no' AND created_at >= ${quote(since.toISOString())}::timestamptz AND prompt_group_id IS NOT NULL
           GROUP BY prompt_group_id HAVING count(*) > ${threshold})`;
  }
  const dpo = format === "dpo";
  return `COPY (
SELECT id, coalesce(split_key, id) AS split_key, coalesce(created_at, '-infinity') AS created_or_min, status = 'ready' AND dedupe_key IS NOT NULL AS usable,
       dedupe_key, token_count, CASE WHEN status = 'ready' THEN to_json(clean_prompt)::text END, CASE WHEN status = 'ready' THEN to_json(clean_completion)::text END${dpo ? `,
       CASE WHEN status = 'ready' THEN to_json(clean_rejected)::text END` : ""}
FROM training_log t WHERE ${filter}${dpo ? " AND t.clean_rejected IS NOT NULL" : ""}${range ? ` AND ${range}` : ""}
ORDER BY t.created_at, t.id
) TO STDOUT (FORMAT binary)`;
}

/** Where an example is in the export's order (created_at, id; a NULL created_at sorts last). */
type Position = { createdAt: string | null; id: string };

// The oldest example not prepared with these settings (prepare-examples.ts, the same condition):
// everything before it is final and may be streamed. created_at as text keeps its microseconds.
const OLDEST_UNPREPARED_SQL = `
SELECT created_at::text AS created_at, id FROM training_log
WHERE (prepared_with IS NULL OR prepared_with < $1 OR prepared_with > $1)
ORDER BY created_at, id LIMIT 1`;

async function oldestUnprepared(client: pg.PoolClient, fingerprint: string): Promise<Position | null> {
  const { rows } = await client.query<{ created_at: string | null; id: string }>(OLDEST_UNPREPARED_SQL, [fingerprint]);
  return rows[0] ? { createdAt: rows[0].created_at, id: rows[0].id } : null;
}

/**
 * The candidates from \`from\` (included) to \`to\` (excluded; null: to the end) as WHERE conditions,
 * one COPY each, in the export's order. Row comparisons on (created_at, id) stay index ranges
 * (review_status, created_at, id); rows without created_at, which sort last, get a COPY of their
 * own rather than an OR. From the start to the end it is the one COPY of old, with no condition.
 */
function rangeConditions(from: Position | null, to: Position | null, quote: (value: string) => string): string[] {
  if (!from && !to) return [""];
  const at = (p: Position) => `(${quote(p.createdAt!)}::timestamptz, ${quote(p.id)}::uuid)`;
  const conditions: string[] = [];
  if (!from || from.createdAt !== null) {
    const dated = [from ? `(t.created_at, t.id) >= ${at(from)}` : "t.created_at IS NOT NULL"];
    if (to?.createdAt) dated.push(`(t.created_at, t.id) < ${at(to)}`);
    conditions.push(dated.join(" AND "));
  }
  if (!to || to.createdAt === null) {
    const undated = ["t.created_at IS NULL"];
    if (from?.createdAt === null) undated.push(`t.id >= ${quote(from.id)}::uuid`);
    if (to) undated.push(`t.id < ${quote(to.id)}::uuid`);
    conditions.push(undated.join(" AND "));
  }
  return conditions;
}

// How long the export prepares examples before it streams what is ready (prepareExamples' `until`).
// The first slice is one batch, before the response starts (so a database that is down is still a
// 503); then the file goes on between slices, so the first byte never waits for the whole set.
const FIRST_SLICE_MS = 0;
const PREPARING = { batchSize: 1000, sliceMs: 2_000 };

// The fields of a candidate row, as numbered in candidatesSql.
const [ID, SPLIT_KEY, CREATED_AT, USABLE, DEDUPE_KEY, TOKEN_COUNT, PROMPT, COMPLETION, REJECTED] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
const FIELDS = 8;

/**
 * The export: chooses the examples, streams them as JSONL (OpenAI chat format) and records the
 * dataset snapshot as it goes, in one pass with flat memory however many examples there are.
 *
 * - Hygiene first: every example is redacted, token-counted and duplicate-keyed with the current
 *   settings (prepareExamples) before it can be chosen. Oldest first and in slices: what comes
 *   before the oldest unprepared example is final, so it streams while the rest is prepared (a
 *   million unprepared examples used to hold the first byte for minutes). Same lines, same order,
 *   same dedupe as preparing all first: the COPYs of consecutive ranges make up the one ordered set.
 * - The candidates stream in with binary COPY (streamCopyOut: paused while the reader is, so
 *   memory stays flat) and stay bytes: the texts, JSON-escaped by PostgreSQL, go into the file as
 *   they arrived (createJsonlBuffer). No string or object per row.
 * - Exact and near duplicates (same dedupe key), unusable completions and examples over the token
 *   limit are dropped and counted; every line is checked by the format validator.
 * - Which examples went into the file, in order and with their split, is written as
 *   dataset_chunks rows on a second connection while the file streams, in one transaction that
 *   also completes the snapshot (counts, SHA-256, size, the validator's report) once the last
 *   byte is taken. A stream that stops early leaves no members and an aborted snapshot.
 */
export async function exportJsonl(request: DatasetRequest): Promise<{ dataset: DatasetStart; chunks: AsyncGenerator<Buffer, void, undefined> }> {
  const settings = request.settings ?? readTrainingSettings();
  const split = request.split ?? "all";
  const format = request.format ?? "sft";
  const worst = request.source === "worst-prompts";
  const since = worst ? (request.since ?? defaultSince(settings.windowDays)) : null;
  const threshold = worst ? (request.threshold ?? settings.threshold) : null;
  const preparing = request.preparing ?? PREPARING;
  const { done: prepared } = await prepareExamples({ settings, batchSize: preparing.batchSize, until: performance.now() + FIRST_SLICE_MS });

  const recorded: DatasetSettings = {
    since: since?.toISOString() ?? null,
    threshold,
    maxTokens: settings.maxTokens,
    validationShare: settings.validationShare,
    systemPrompt: settings.systemPrompt,
    fingerprint: settings.fingerprint,
  };
  const { rows } = await getPool().query(
    `INSERT INTO datasets (source, split, created_via, created_by, api_key_id, settings, format) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [request.source, split, request.createdVia, request.createdBy ?? null, request.apiKeyId ?? null, JSON.stringify(recorded), format],
  );
  const dataset: DatasetStart = { id: String(rows[0].id), source: request.source, split, format, settings: recorded };
  return { dataset, chunks: streamExport({ dataset, settings, preparing, prepared, source: request.source, since, threshold, minExamples: request.minExamples }) };
}

type StreamRequest = {
  dataset: DatasetStart;
  settings: TrainingSettings;
  preparing: { batchSize: number; sliceMs: number };
  /** Whether the first slice prepared everything. */
  prepared: boolean;
  source: DatasetSource;
  since: Date | null;
  threshold: number | null;
  minExamples?: number;
};

async function* streamExport({ dataset, settings, preparing, prepared, source, since, threshold, minExamples }: StreamRequest): AsyncGenerator<Buffer, void, undefined> {
  const pool = getPool();
  const { maxTokens, systemPrompt, validationShare } = dataset.settings;
  const wanted = dataset.split;
  const reader = await pool.connect();
  let writer: pg.PoolClient | undefined;
  let finished = false;
  const hash = createHash("sha256");
  const dpo = dataset.format === "dpo";
  const validator = createJsonlValidator({ minExamples });
  const preferences = createPreferenceValidator({ minExamples });
  const seen = createSeenKeys();
  const splitOf = createUuidSplitter(validationShare);
  const lines = createJsonlBuffer({ systemPrompt, chunkBytes: CHUNK_BYTES, texts: "json", format: dataset.format });
  // toChatMessages leaves out an empty system prompt; a blank one would be an empty content on every line.
  const systemBlank = Boolean(systemPrompt) && systemPrompt!.trim() === "";
  const counts = { train: 0, validation: 0, duplicate: 0, tooLong: 0, unusable: 0 };
  let bytes = 0;
  try {
    writer = await pool.connect();
    await writer.query("BEGIN");
    const members = createMemberWriter({ client: writer, datasetId: dataset.id });
    const onRow = (data: Buffer, f: Int32Array) => {
      const side = splitOf(data, f[2 * SPLIT_KEY]!);
      if (wanted !== "all" && side !== wanted) return;
      const prompt = f[2 * PROMPT]!;
      const promptLength = f[2 * PROMPT + 1]!;
      const completion = f[2 * COMPLETION]!;
      const completionLength = f[2 * COMPLETION + 1]!;
      if (data[f[2 * USABLE]!] !== 1 || promptLength < 0 || completionLength < 0) counts.unusable++;
      else if (!seen.addIfNewAscii(data, f[2 * DEDUPE_KEY]!, f[2 * DEDUPE_KEY + 1]!)) counts.duplicate++;
      else if ((f[2 * TOKEN_COUNT + 1]! < 0 ? Infinity : data.readInt32BE(f[2 * TOKEN_COUNT]!)) > maxTokens) counts.tooLong++;
      else if (dpo) {
        const rejected = f[2 * REJECTED]!;
        const rejectedLength = f[2 * REJECTED + 1]!;
        const blank = systemBlank || isBlankJsonString(data, prompt, promptLength) || isBlankJsonString(data, completion, completionLength) || isBlankJsonString(data, rejected, rejectedLength);
        preferences.builtExample(blank, completionLength === rejectedLength && data.compare(data, completion, completion + completionLength, rejected, rejected + rejectedLength) === 0);
        lines.add(data, prompt, promptLength, completion, completionLength, rejected, rejectedLength);
        members.add(data, f[2 * ID]!, side === "validation", f[2 * CREATED_AT]!);
        counts[side]++;
      } else {
        validator.chatExample(systemBlank || isBlankJsonString(data, prompt, promptLength) || isBlankJsonString(data, completion, completionLength));
        lines.add(data, prompt, promptLength, completion, completionLength);
        members.add(data, f[2 * ID]!, side === "validation", f[2 * CREATED_AT]!);
        counts[side]++;
      }
    };
    const emit = (chunk: Buffer) => {
      hash.update(chunk);
      bytes += chunk.length;
      return chunk;
    };

    const quote = (v: string) => reader.escapeLiteral(v);
    let from: Position | null = null;
    for (;;) {
      const to = prepared ? null : await oldestUnprepared(reader, settings.fingerprint);
      for (const range of rangeConditions(from, to, quote)) {
        await reader.query("BEGIN READ ONLY");
        // Right after many approvals the planner may still think there are few: a million wide rows
        // must never be sorted, the index already has them in order.
        if (source === "approved") await reader.query("SET LOCAL enable_sort = off");
        const parser = createCopyBinaryParser(dpo ? FIELDS + 1 : FIELDS, onRow);
        const sql = candidatesSql({ source, since, threshold, quote, format: dataset.format, range });
        for await (const _ of streamCopyOut({ client: reader, sql, onData: parser.push, full: () => lines.full || members.ready })) {
          for (let chunk = lines.take(); chunk; chunk = lines.take()) yield emit(chunk);
          if (members.ready) await members.flush();
        }
        parser.end();
        await reader.query("COMMIT");
      }
      // What is ready goes out before the next slice is prepared (chunk sizes do not change the file).
      for (let chunk = lines.take({ all: true }); chunk; chunk = lines.take({ all: true })) yield emit(chunk);
      if (!to) break;
      from = to;
      prepared = (await prepareExamples({ settings, batchSize: preparing.batchSize, until: performance.now() + preparing.sliceMs, group: false })).done;
    }

    await members.finish();
    await writer.query(
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
        JSON.stringify(dpo ? preferences.report() : validator.report()),
      ],
    );
    await writer.query("COMMIT");
    finished = true;
  } finally {
    if (!finished) {
      // The members written so far go with the transaction; a COPY cut off midway cannot be
      // ended politely, so its connection is closed (the server abandons the query).
      await writer?.query("ROLLBACK").catch(() => {});
      await pool.query("UPDATE datasets SET status = 'aborted', completed_at = now() WHERE id = $1 AND status = 'writing'", [dataset.id]).catch(() => {});
    }
    reader.release(!finished);
    writer?.release(!finished);
  }
}
