import "server-only";
import { getPool } from "@/lib/db/client";
import type { DashboardFilters } from "@/lib/analytics/schemas";

export type RetrainRunRow = {
  id: string;
  isoWeek: string;
  target: "openai" | "local" | "manual" | "together" | "fireworks" | "azure" | "openai-compatible";
  status: string;
  createdAt: string;
  datasetId: string | null;
  datasetExamples: number | null;
  /** sft: lines are examples; dpo: preference pairs. */
  datasetFormat: "sft" | "dpo" | null;
  candidate: string | null;
  baseline: string | null;
  candidateScore: number | null;
  baselineScore: number | null;
  /** Per question (prompt group) of the validation split: the candidate better, worse, within the margin. */
  groupsBetter: number | null;
  groupsWorse: number | null;
  groupsEven: number | null;
  decision: "pending" | "promoted" | "discarded" | "rolled_back" | null;
};

/**
 * Every retrain run started in the range, newest first, with its dataset, the newest evaluation of
 * its candidate against the version active then (overall and per question group, from the
 * report's `groups`) and the decision. retrain_runs holds one row a week: no rollup needed.
 * Runs have no topic, agent or model, so only the dates filter them.
 */
export async function listRetrainRuns(filters: DashboardFilters, limit = 60): Promise<RetrainRunRow[]> {
  const { rows } = await getPool().query(
    `SELECT run.id, run.iso_week, run.target, run.status, run.created_at, run.dataset_id, ds.example_count, ds.format,
            cv.name || '@' || cv.version AS candidate, bv.name || '@' || bv.version AS baseline,
            ev.candidate_score, ev.baseline_score, ev.decision, ev.margin,
            ev.better, ev.worse, ev.groups
     FROM retrain_runs run
     LEFT JOIN datasets ds ON ds.id = run.dataset_id
     LEFT JOIN LATERAL (
       SELECT e.candidate_version_id, e.baseline_version_id, e.candidate_score, e.baseline_score, e.decision,
              coalesce((e.report->>'margin')::float8, 0.02) AS margin,
              (SELECT count(*) FROM jsonb_array_elements(coalesce(e.report->'groups', '[]')) g
                WHERE (g->>'candidateScore')::float8 - (g->>'baselineScore')::float8 > coalesce((e.report->>'margin')::float8, 0.02))::int AS better,
              (SELECT count(*) FROM jsonb_array_elements(coalesce(e.report->'groups', '[]')) g
                WHERE (g->>'baselineScore')::float8 - (g->>'candidateScore')::float8 > coalesce((e.report->>'margin')::float8, 0.02))::int AS worse,
              jsonb_array_length(coalesce(e.report->'groups', '[]'))::int AS groups
       FROM model_evaluations e WHERE e.run_id = run.id ORDER BY e.created_at DESC LIMIT 1
     ) ev ON true
     LEFT JOIN model_versions cv ON cv.id = coalesce(ev.candidate_version_id, run.candidate_model_version_id)
     LEFT JOIN model_versions bv ON bv.id = ev.baseline_version_id
     WHERE run.created_at >= $1::date::timestamp AT TIME ZONE 'UTC' AND run.created_at < ($2::date + 1)::timestamp AT TIME ZONE 'UTC'
     ORDER BY run.created_at DESC LIMIT $3`,
    [filters.from, filters.to, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    isoWeek: r.iso_week,
    target: r.target,
    status: r.status,
    createdAt: (r.created_at as Date).toISOString().slice(0, 10),
    datasetId: r.dataset_id,
    datasetExamples: r.example_count ?? null,
    datasetFormat: r.format ?? null,
    candidate: r.candidate,
    baseline: r.baseline,
    candidateScore: r.candidate_score ?? null,
    baselineScore: r.baseline_score ?? null,
    groupsBetter: r.groups === null ? null : r.better,
    groupsWorse: r.groups === null ? null : r.worse,
    groupsEven: r.groups === null ? null : r.groups - r.better - r.worse,
    decision: r.decision ?? null,
  }));
}
