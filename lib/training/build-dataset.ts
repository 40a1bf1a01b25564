import "server-only";
import { getPool } from "@/lib/db/client";
import { defaultSince } from "@/lib/training/find-worst-prompts";
import { prepareExamples } from "@/lib/training/prepare-examples";
import { readTrainingSettings, type TrainingSettings } from "@/lib/training/read-training-settings";
import { splitSql } from "@/lib/training/split-dataset";

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

export type DatasetSettings = {
  since: string | null;
  threshold: number | null;
  maxTokens: number;
  validationShare: number;
  systemPrompt: string | null;
  fingerprint: string;
};

export type DatasetSnapshot = {
  id: string;
  source: DatasetSource;
  split: DatasetSplit;
  exampleCount: number;
  trainCount: number;
  validationCount: number;
  dropped: { duplicate: number; tooLong: number; unusable: number };
  settings: DatasetSettings;
};

// Candidates → duplicates ranked by age within their dedupe key → each one kept or dropped with a
// reason → the kept ones recorded in file order. Everything happens inside PostgreSQL: a million
// examples never pass through this process to be chosen.
function selectSql(source: DatasetSource): string {
  const filter =
    source === "approved"
      ? "t.review_status = 'approved'"
      : `t.review_status IN ('pending', 'approved') AND r.prompt_group_id IN (
           SELECT prompt_group_id FROM feedback_replay_log
           WHERE feedback = 'no' AND created_at >= $5 AND prompt_group_id IS NOT NULL
           GROUP BY prompt_group_id HAVING count(*) > $6)`;
  return `
WITH candidates AS (
  SELECT t.id, t.created_at, t.status, t.token_count, t.dedupe_key,
         ${splitSql("coalesce(r.prompt_group_id::text, t.id::text)", "$4")} AS split
  FROM training_log t LEFT JOIN feedback_replay_log r ON r.id = t.replay_id
  WHERE ${filter}
), classified AS (
  SELECT id, created_at, split,
         CASE WHEN status <> 'ready' OR dedupe_key IS NULL THEN 'unusable'
              WHEN row_number() OVER (PARTITION BY dedupe_key ORDER BY status DESC, created_at, id) > 1 THEN 'duplicate'
              WHEN token_count > $3 THEN 'too_long' END AS dropped
  FROM candidates
), chosen AS (
  SELECT * FROM classified WHERE $2::text = 'all' OR split = $2::text
), kept AS (
  INSERT INTO dataset_examples (dataset_id, ordinal, example_id, split)
  SELECT $1, row_number() OVER (ORDER BY created_at, id), id, split::example_split
  FROM chosen WHERE dropped IS NULL
  RETURNING split
)
SELECT
  (SELECT count(*) FILTER (WHERE split = 'train')::int FROM kept) AS train,
  (SELECT count(*) FILTER (WHERE split = 'validation')::int FROM kept) AS validation,
  count(*) FILTER (WHERE dropped = 'duplicate')::int AS duplicate,
  count(*) FILTER (WHERE dropped = 'too_long')::int AS too_long,
  count(*) FILTER (WHERE dropped = 'unusable')::int AS unusable
FROM chosen`;
}

/**
 * Chooses the examples of a dataset and records the snapshot (which examples, on which side of
 * the split, what was dropped and why, the settings, who asked). Stream its file with
 * streamDatasetJsonl(snapshot.id); the hash and the validator's report are recorded as it streams.
 * Hygiene first: every example is redacted, token-counted and duplicate-keyed with the current
 * settings (prepareExamples) before it can be chosen.
 */
export async function buildDataset(request: DatasetRequest): Promise<DatasetSnapshot> {
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
  const client = await getPool().connect();
  try {
    // One snapshot of the data for choosing and counting.
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
    const { rows } = await client.query(
      `INSERT INTO datasets (source, split, created_via, created_by, api_key_id, settings)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [request.source, split, request.createdVia, request.createdBy ?? null, request.apiKeyId ?? null, JSON.stringify(recorded)],
    );
    const id = String(rows[0].id);
    const params: unknown[] = [id, split, settings.maxTokens, settings.validationShare];
    if (worst) params.push(since, threshold);
    const counts = (await client.query(selectSql(request.source), params)).rows[0];
    const dropped = { duplicate: counts.duplicate, tooLong: counts.too_long, unusable: counts.unusable };
    await client.query(
      `UPDATE datasets SET example_count = $2, train_count = $3, validation_count = $4, dropped = $5 WHERE id = $1`,
      [id, counts.train + counts.validation, counts.train, counts.validation, JSON.stringify(dropped)],
    );
    await client.query("COMMIT");
    return {
      id,
      source: request.source,
      split,
      exampleCount: counts.train + counts.validation,
      trainCount: counts.train,
      validationCount: counts.validation,
      dropped,
      settings: recorded,
    };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
