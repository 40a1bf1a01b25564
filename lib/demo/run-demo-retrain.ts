import "server-only";
import type { AuditActor } from "@/lib/audit/schemas";
import { backdateRetrain } from "@/lib/demo/backdate-demo-rows";
import { decideEvaluation, runRetrain } from "@/lib/retrain/run-retrain";
import type { RetrainConfig } from "@/lib/retrain/read-retrain-config";
import { listEvaluations } from "@/lib/retrain/runs";

export type DemoRetrain = {
  isoWeek: string;
  status: string;
  evaluationId: string | null;
  winner: string | null;
  decision: "promoted" | "discarded" | null;
  candidate: string | null;
};

/**
 * The week's retrain as the scheduler runs it (runRetrain: worst prompts → dataset → local
 * candidate → evaluation against the active version), at the simulated Monday `at`. The demo
 * manager then follows the evaluation: promotes a winner, discards anything else, through the
 * /retrain page's own decision path. The rows move to `at` afterwards.
 */
export async function runDemoRetrain({ at, config, manager }: { at: Date; config: RetrainConfig; manager: AuditActor }): Promise<DemoRetrain> {
  const realStart = new Date();
  const outcome = await runRetrain({ trigger: "cron", now: at, config });
  if (outcome.status !== "done") return { isoWeek: outcome.isoWeek, status: outcome.status, evaluationId: null, winner: null, decision: null, candidate: null };
  const run = outcome.run;
  const [evaluation] = await listEvaluations([run.id]);
  let decision: DemoRetrain["decision"] = null;
  if (evaluation) {
    decision = evaluation.winner === "candidate" ? "promoted" : "discarded";
    await decideEvaluation({ evaluationId: evaluation.id, decision: decision === "promoted" ? "promote" : "discard", actor: manager });
  }
  await backdateRetrain({ runId: run.id, realStart, at });
  return {
    isoWeek: run.isoWeek,
    status: run.status,
    evaluationId: evaluation?.id ?? null,
    winner: evaluation?.winner ?? null,
    decision,
    candidate: run.candidateModelVersionId,
  };
}
