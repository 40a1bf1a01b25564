import "server-only";
import { getPool } from "@/lib/db/client";
import { filterParams, ROLLUP_FILTER_SQL } from "@/lib/analytics/rollup-filter";
import type { DashboardFilters } from "@/lib/analytics/schemas";

export type FunnelStageKey = "not_useful" | "examples" | "approved" | "exported" | "fine_tuned" | "promoted";
export type FunnelStage = { key: FunnelStageKey; label: string; count: number };
export type FunnelDropKey = "unusable" | "rejected" | "merged" | "export_duplicate" | "too_long";
export type FunnelDrop = { key: FunnelDropKey; label: string; count: number };
export type TrainingFunnel = {
  stages: FunnelStage[];
  /** Where examples leave, and why. The export's own drops are those of the newest complete export made in the range. */
  dropped: FunnelDrop[];
  latestExport: { id: string; createdAt: string } | null;
};

/**
 * The loop's stages for the replays in the filters: marked not useful → training example →
 * approved in review → exported (in a complete dataset) → in a fine-tune (the training side of a
 * dataset a retrain run trained a candidate on) → in a promoted model (that candidate's evaluation
 * was decided "promoted" and not rolled back). Examples count under their replay's day, topic,
 * model and agent. The first three read the rollups; the dataset stages read the members of the
 * complete datasets whose span covers the range (dataset_chunks) and count each example once.
 * A worst-prompts export takes examples not reviewed yet, so "exported" may exceed "approved".
 */
export async function getTrainingFunnel(filters: DashboardFilters): Promise<TrainingFunnel> {
  const pool = getPool();
  const params = filterParams(filters);
  const [rollup, members, latest] = await Promise.all([
    pool.query(
      `SELECT (SELECT coalesce(sum(not_useful), 0)::int FROM analytics_daily WHERE ${ROLLUP_FILTER_SQL}) AS not_useful,
              (SELECT coalesce(sum(examples), 0)::int FROM analytics_daily WHERE ${ROLLUP_FILTER_SQL}) AS examples,
              (SELECT coalesce(sum(examples_ready), 0)::int FROM analytics_daily WHERE ${ROLLUP_FILTER_SQL}) AS ready,
              r.approved, r.rejected, r.merged
       FROM (SELECT coalesce(sum(approved), 0)::int AS approved, coalesce(sum(rejected), 0)::int AS rejected, coalesce(sum(merged), 0)::int AS merged
             FROM analytics_reviews_daily WHERE ${ROLLUP_FILTER_SQL}) r`,
      params,
    ),
    pool.query(
      `WITH d AS (
         SELECT ds.id,
                bool_or(run.candidate_model_version_id IS NOT NULL OR run.fine_tune_job_id IS NOT NULL) AS tuned,
                bool_or(ev.decision = 'promoted') AS promoted
         FROM datasets ds
         LEFT JOIN retrain_runs run ON run.dataset_id = ds.id
         LEFT JOIN model_evaluations ev ON ev.run_id = run.id AND ev.candidate_version_id = run.candidate_model_version_id
         WHERE ds.status = 'complete'
         GROUP BY ds.id
       ), m AS (
         SELECT u.example_id, bool_or(d.tuned AND NOT u.validation) AS tuned, bool_or(d.promoted AND NOT u.validation) AS promoted
         FROM d JOIN dataset_chunks c ON c.dataset_id = d.id
         CROSS JOIN LATERAL unnest(c.example_ids, c.validation) AS u(example_id, validation)
         WHERE c.newest_created_at >= $1::date::timestamp AT TIME ZONE 'UTC' - interval '1 day'
           AND c.oldest_created_at < ($2::date + 2)::timestamp AT TIME ZONE 'UTC'
         GROUP BY 1
       )
       SELECT count(*)::int AS exported, count(*) FILTER (WHERE m.tuned)::int AS tuned, count(*) FILTER (WHERE m.promoted)::int AS promoted
       FROM m JOIN training_log t ON t.id = m.example_id LEFT JOIN feedback_replay_log r ON r.id = t.replay_id
       WHERE coalesce(r.created_at, t.created_at) >= $1::date::timestamp AT TIME ZONE 'UTC'
         AND coalesce(r.created_at, t.created_at) < ($2::date + 1)::timestamp AT TIME ZONE 'UTC'
         AND ($3::uuid IS NULL OR r.agent_id = $3::uuid)
         AND ($4::text IS NULL OR r.topic = $4::text)
         AND ($5::text IS NULL OR r.model = $5::text)`,
      params,
    ),
    pool.query(
      `SELECT id, created_at, dropped FROM datasets
       WHERE status = 'complete' AND created_at >= $1::date::timestamp AT TIME ZONE 'UTC' AND created_at < ($2::date + 1)::timestamp AT TIME ZONE 'UTC'
       ORDER BY created_at DESC LIMIT 1`,
      [filters.from, filters.to],
    ),
  ]);
  const r = rollup.rows[0];
  const m = members.rows[0];
  const l = latest.rows[0] as { id: string; created_at: Date; dropped: { duplicate?: number; tooLong?: number } } | undefined;
  return {
    stages: [
      { key: "not_useful", label: "Marked not useful", count: r.not_useful },
      { key: "examples", label: "Training examples", count: r.examples },
      { key: "approved", label: "Approved in review", count: r.approved },
      { key: "exported", label: "Exported", count: m.exported },
      { key: "fine_tuned", label: "In a fine-tune", count: m.tuned },
      { key: "promoted", label: "In a promoted model", count: m.promoted },
    ],
    dropped: [
      { key: "unusable", label: "No usable completion", count: r.examples - r.ready },
      { key: "rejected", label: "Rejected in review", count: r.rejected },
      { key: "merged", label: "Duplicate (merged in review)", count: r.merged },
      { key: "export_duplicate", label: "Duplicate (left out of the latest export)", count: Number(l?.dropped?.duplicate ?? 0) },
      { key: "too_long", label: "Over the token limit (latest export)", count: Number(l?.dropped?.tooLong ?? 0) },
    ],
    latestExport: l ? { id: l.id, createdAt: l.created_at.toISOString().slice(0, 10) } : null,
  };
}
