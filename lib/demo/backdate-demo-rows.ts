import "server-only";
import { getPool } from "@/lib/db/client";

/**
 * The demo replays weeks of traffic in a minute, so its rows are moved to the simulated time
 * afterwards: each replay to its own moment (created, then submitted), its training example and
 * self-critique with it. One statement; the analytics triggers move the rollup's counts along.
 * Called before the week's retrain, so the dataset's windows and chunk spans see the simulated time.
 */
export async function backdateReplays(rows: { id: string; createdAt: Date; submittedAt: Date | null }[]): Promise<void> {
  if (rows.length === 0) return;
  await getPool().query(
    `WITH v AS (SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) AS v(id, created_at, submitted_at)),
     -- Data-modifying CTEs run whether or not they are read.
     r AS (
       UPDATE feedback_replay_log r SET created_at = v.created_at, submitted_at = v.submitted_at, updated_at = coalesce(v.submitted_at, v.created_at)
       FROM v WHERE r.id = v.id RETURNING r.id
     ),
     t AS (
       UPDATE training_log t SET created_at = v.submitted_at, updated_at = v.submitted_at FROM v WHERE t.replay_id = v.id AND v.submitted_at IS NOT NULL RETURNING t.id
     )
     UPDATE failure_analyses fa
     SET created_at = v.submitted_at, updated_at = v.submitted_at + interval '20 seconds',
         claimed_at = CASE WHEN fa.claimed_at IS NULL THEN NULL ELSE v.submitted_at + interval '5 seconds' END,
         analyzed_at = CASE WHEN fa.analyzed_at IS NULL THEN NULL ELSE v.submitted_at + interval '20 seconds' END,
         agent_category_at = CASE WHEN fa.agent_category_at IS NULL THEN NULL ELSE v.submitted_at + interval '10 minutes' END
     FROM v WHERE fa.replay_id = v.id AND v.submitted_at IS NOT NULL`,
    [rows.map((r) => r.id), rows.map((r) => r.createdAt), rows.map((r) => r.submittedAt)],
  );
}

/**
 * Moves what a retrain wrote since `realStart` (its run with the event log, dataset, candidate
 * version, evaluation) to the simulated moment `at`, keeping the gaps between them.
 */
export async function backdateRetrain({ runId, realStart, at }: { runId: string; realStart: Date; at: Date }): Promise<void> {
  const shift = [at.getTime() - realStart.getTime()];
  const pool = getPool();
  const move = (column: string) => `${column} = ${column} + make_interval(secs => $2::float8 / 1000)`;
  const { rows } = await pool.query(
    `UPDATE retrain_runs SET ${move("created_at")}, ${move("updated_at")},
       finished_at = finished_at + make_interval(secs => $2::float8 / 1000),
       events = (SELECT coalesce(jsonb_agg(e || jsonb_build_object('at', to_char(((e->>'at')::timestamptz + make_interval(secs => $2::float8 / 1000)) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) ORDER BY n), '[]'::jsonb)
                 FROM jsonb_array_elements(events) WITH ORDINALITY AS x(e, n))
     WHERE id = $1 RETURNING dataset_id, candidate_model_version_id`,
    [runId, shift[0]],
  );
  const run = rows[0];
  if (!run) return;
  await pool.query(
    `UPDATE datasets SET ${move("created_at")}, completed_at = completed_at + make_interval(secs => $2::float8 / 1000) WHERE id = $1`,
    [run.dataset_id, shift[0]],
  );
  await pool.query(
    `UPDATE model_evaluations SET ${move("created_at")}, decided_at = decided_at + make_interval(secs => $2::float8 / 1000) WHERE run_id = $1`,
    [runId, shift[0]],
  );
  await pool.query(`UPDATE model_versions SET ${move("created_at")} WHERE id = $1 AND created_at >= $3`, [run.candidate_model_version_id, shift[0], realStart]);
  // Promotions and rollbacks of this run happened "at" it, too.
  await pool.query(`UPDATE model_versions SET promoted_at = promoted_at + make_interval(secs => $1::float8 / 1000) WHERE promoted_at >= $2`, [shift[0], realStart]);
}

/** A manager's later decision on an evaluation (the demo's rollback), moved to the simulated moment `at`. */
export async function backdateDecision({ evaluationId, at }: { evaluationId: string; at: Date }): Promise<void> {
  const { rows } = await getPool().query(`UPDATE model_evaluations SET decided_at = $2 WHERE id = $1 RETURNING baseline_version_id`, [evaluationId, at]);
  if (rows[0]) await getPool().query(`UPDATE model_versions SET promoted_at = $2 WHERE id = $1`, [rows[0].baseline_version_id, at]);
}

/** The version the seed found or made active when it started (the configured default) counts as active from the first week. */
export async function backdateActivations({ since, at }: { since: Date; at: Date }): Promise<void> {
  await getPool().query(
    `UPDATE model_versions SET promoted_at = CASE WHEN promoted_at >= $1 THEN $2 ELSE promoted_at END,
       created_at = CASE WHEN created_at >= $1 THEN $2 ELSE created_at END
     WHERE promoted_at >= $1 OR created_at >= $1`,
    [since, at],
  );
}
