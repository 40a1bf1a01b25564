import "server-only";
import { sql } from "drizzle-orm";
import { registerModelVersion } from "@/lib/ai/register-model-version";
import { recordAudit } from "@/lib/audit/record-audit";
import type { AuditActor } from "@/lib/audit/schemas";
import { getDb } from "@/lib/db/client";
import { retrainRuns } from "@/lib/db/schema";
import { UserError } from "@/lib/errors";
import type { RetrainConfig } from "@/lib/retrain/read-retrain-config";
import { resolveRetrainConfig } from "@/lib/retrain/resolve-retrain-config";
import { evaluateServedCandidate } from "@/lib/retrain/run-retrain";
import { getRun, updateRun, type RetrainRun } from "@/lib/retrain/runs";

/**
 * The manual road of an Azure run (no management credentials): a manager deployed the fine-tuned
 * model in Azure and enters the deployment's name. Only a run waiting for that is claimed (the state
 * check is in the UPDATE: a second submission finds nothing and gets a 409); the deployment is
 * registered as the candidate, audited (`retrain.deployment`), and evaluated as any fine-tune.
 * An unknown deployment name shows up as a failed evaluation; Retry then waits for a name again.
 */
export async function recordAzureDeployment({ runId, deploymentName, actor, config: given }: { runId: string; deploymentName: string; actor: AuditActor; config?: RetrainConfig }): Promise<RetrainRun> {
  const config = given ?? (await resolveRetrainConfig()).config;
  const [claimed] = await getDb()
    .update(retrainRuns)
    .set({ status: "evaluating", deploymentName, updatedAt: new Date(), events: sql`${retrainRuns.events} || ${JSON.stringify([{ at: new Date().toISOString(), level: "info", message: `A manager entered deployment ${deploymentName}.` }])}::jsonb` })
    .where(sql`${retrainRuns.id} = ${runId} AND ${retrainRuns.status} = 'awaiting_deployment' AND ${retrainRuns.target} = 'azure' AND ${retrainRuns.fineTunedModel} IS NOT NULL`)
    .returning();
  if (!claimed) throw new UserError({ code: "not_awaiting_deployment", status: 409, message: "This run is not waiting for an Azure deployment (it may have been entered already)." });
  const candidate = await registerModelVersion({
    provider: "azure",
    name: deploymentName,
    version: claimed.isoWeek,
    notes: `Fine-tuned on Azure OpenAI by retrain ${claimed.isoWeek} (job ${claimed.fineTuneJobId}, model ${claimed.fineTunedModel}), served by deployment ${deploymentName} (entered by a manager).`,
  });
  const run = await updateRun(claimed.id, { candidateModelVersionId: candidate.id });
  await recordAudit({ actor, action: "retrain.deployment", target: run.isoWeek, details: { runId, deployment: deploymentName, model: run.fineTunedModel } });
  await evaluateServedCandidate({ run, candidate, config });
  return (await getRun(runId))!;
}
