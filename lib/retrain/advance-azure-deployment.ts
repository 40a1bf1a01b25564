import "server-only";
import { sql } from "drizzle-orm";
import type { ModelVersion } from "@/lib/ai/model-version";
import { registerModelVersion } from "@/lib/ai/register-model-version";
import { getDb } from "@/lib/db/client";
import { retrainRuns } from "@/lib/db/schema";
import { UserError } from "@/lib/errors";
import type { RetrainConfig } from "@/lib/retrain/read-retrain-config";
import { runEvents, updateRun, type RetrainRun, type RunEvent } from "@/lib/retrain/runs";
import { deployAzureModel } from "@/lib/retrain/targets/deploy-azure-model";

export type DeploymentStep = { kind: "served"; run: RetrainRun; candidate: ModelVersion } | { kind: "waiting" } | { kind: "failed"; error: string };

/** The deployment a run's model gets when the app deploys it: one per run (ISO week), so a retry reuses it. */
export function deploymentNameFor(run: Pick<RetrainRun, "isoWeek">): string {
  return `feedback-replay-${run.isoWeek.toLowerCase()}`.replace(/[^a-z0-9._-]/g, "-").slice(0, 64);
}

const event = (message: string, level: RunEvent["level"] = "info"): RunEvent => ({ at: new Date().toISOString(), level, message });

/**
 * One step of a run in `deploying` (the fine-tunes poll): deploy its fine-tuned model on Azure, or
 * read how far the deployment got. Succeeded: the deployment is registered as the candidate (Azure
 * serves deployments, so its name is the model the chat API is called with) and the run claimed
 * for evaluation, once, whoever polls at the same time. Failed, refused or too long: the run fails
 * with a message naming what to fix; the fine-tune job is kept, so Retry deploys again without training.
 */
export async function advanceAzureDeployment({ run, config }: { run: RetrainRun; config: RetrainConfig }): Promise<DeploymentStep> {
  const management = config.providers.azure?.management;
  if (!management || !run.fineTunedModel || !run.deploymentName) return { kind: "waiting" };
  const name = run.deploymentName;
  let state: string;
  try {
    const since = deployStartedAt(run);
    const sent = runEvents(run).some((e) => e.message.startsWith(`Deploying ${run.fineTunedModel} as ${name} `) && Date.parse(e.at) >= since);
    const deployment = await deployAzureModel({ management, name, model: run.fineTunedModel, sent });
    state = deployment.state;
    if (deployment.submitted) {
      await updateRun(run.id, {}, { message: `Deploying ${run.fineTunedModel} as ${name} (${management.sku}, capacity ${management.capacity}) on ${management.account}.` });
    }
  } catch (error) {
    const message = error instanceof UserError ? error.message : "Unexpected error while deploying on Azure; see the server log.";
    if (!(error instanceof UserError)) console.error("azure deployment failed", { runId: run.id, error });
    return failDeployment(run.id, message);
  }
  if (state === "Succeeded") {
    const candidate = await registerModelVersion({
      provider: "azure",
      name,
      version: run.isoWeek,
      notes: `Fine-tuned on Azure OpenAI by retrain ${run.isoWeek} (job ${run.fineTuneJobId}, model ${run.fineTunedModel}), served by deployment ${name}.`,
    });
    const [claimed] = await getDb()
      .update(retrainRuns)
      .set({ status: "evaluating", candidateModelVersionId: candidate.id, updatedAt: new Date(), events: sql`${retrainRuns.events} || ${JSON.stringify([event(`Deployment ${name} succeeded: it serves ${run.fineTunedModel}.`)])}::jsonb` })
      .where(sql`${retrainRuns.id} = ${run.id} AND ${retrainRuns.status} = 'deploying'`)
      .returning();
    return claimed ? { kind: "served", run: claimed, candidate } : { kind: "waiting" };
  }
  if (state === "Failed" || state === "Canceled") {
    return failDeployment(run.id, `Azure could not deploy ${run.fineTunedModel} as ${name} (provisioningState ${state}). Check the resource's quota and region for ${management.sku} deployments of fine-tuned models (AZURE_DEPLOYMENT_SKU, AZURE_DEPLOYMENT_CAPACITY), then Retry: it deploys again without training again.`);
  }
  if (Date.now() - deployStartedAt(run) > config.jobTimeoutMs) {
    const hours = Math.round(config.jobTimeoutMs / 3_600_000);
    return failDeployment(run.id, `Deployment ${name} was still ${state} after ${hours} h (FINE_TUNE_TIMEOUT_HOURS). Look at it in the Azure portal, then Retry.`);
  }
  return { kind: "waiting" };
}

/** Only a run still deploying is failed; its job id stays, so Retry comes back here without a new job. */
async function failDeployment(runId: string, error: string): Promise<DeploymentStep> {
  await getDb()
    .update(retrainRuns)
    .set({ status: "failed", error, updatedAt: new Date(), events: sql`${retrainRuns.events} || ${JSON.stringify([event(`Deployment failed: ${error}`, "error")])}::jsonb` })
    .where(sql`${retrainRuns.id} = ${runId} AND ${retrainRuns.status} = 'deploying'`);
  return { kind: "failed", error };
}

/** When this attempt's deployment began: the "Fine-tune succeeded" event that moved the run to deploying. */
function deployStartedAt(run: RetrainRun): number {
  const started = runEvents(run).findLast((e) => e.source !== "provider" && e.message.startsWith("Fine-tune succeeded"));
  return started ? Date.parse(started.at) : run.updatedAt.getTime();
}
