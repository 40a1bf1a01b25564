import { randomInt } from "node:crypto";
import { registerModelVersion } from "@/lib/ai/register-model-version";
import { LOCAL_MODEL } from "@/lib/ai/model-version";
import { getPool } from "@/lib/db/client";

/** An ISO-week key no real run uses (runs are unique per week; the database is shared). */
export const testWeek = () => `${3000 + randomInt(0, 6000)}-W${String(randomInt(1, 53)).padStart(2, "0")}-${randomInt(0, 1e9)}`;

/** A run held for review (or `status`) with the manual target: approving or retrying it uploads nothing. */
export async function createHeldRun(status: "held" | "failed" = "held") {
  const dataset = await getPool().query("INSERT INTO datasets (source, split, created_via, settings) VALUES ('worst-prompts', 'all', 'test', '{}') RETURNING id");
  const { rows } = await getPool().query(
    "INSERT INTO retrain_runs (iso_week, status, mode, target, trigger, dataset_id) VALUES ($1, $3, 'review', 'manual', 'cron', $2) RETURNING id",
    [testWeek(), dataset.rows[0].id, status],
  );
  return { id: rows[0].id as string };
}

/** A finished run with a pending evaluation of the local model against itself. */
export async function createPendingEvaluation() {
  const version = await registerModelVersion(LOCAL_MODEL);
  const run = await getPool().query(
    "INSERT INTO retrain_runs (iso_week, status, mode, target, trigger) VALUES ($1, 'succeeded', 'upload', 'local', 'cron') RETURNING id",
    [testWeek()],
  );
  const { rows } = await getPool().query(
    `INSERT INTO model_evaluations (run_id, candidate_version_id, baseline_version_id, examples, candidate_score, baseline_score, winner, report)
     VALUES ($1, $2, $2, 0, 0, 0, 'none', '{}') RETURNING id`,
    [run.rows[0].id, version.id],
  );
  return { id: rows[0].id as string };
}

/** An Azure run whose fine-tuned model waits for a manager to deploy it (no management credentials). */
export async function createAwaitingDeploymentRun() {
  const dataset = await getPool().query("INSERT INTO datasets (source, split, created_via, settings) VALUES ('worst-prompts', 'all', 'test', '{}') RETURNING id");
  const { rows } = await getPool().query(
    `INSERT INTO retrain_runs (iso_week, status, mode, target, trigger, dataset_id, fine_tune_job_id, fine_tuned_model)
     VALUES ($1, 'awaiting_deployment', 'upload', 'azure', 'cron', $2, 'ftjob-security', 'gpt-4.1-mini-2025-04-14.ft-security') RETURNING id`,
    [testWeek(), dataset.rows[0].id],
  );
  return { id: rows[0].id as string };
}
