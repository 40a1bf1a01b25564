import "server-only";
import { eq, sql } from "drizzle-orm";
import type pg from "pg";
import { getActiveModelVersion } from "@/lib/ai/get-active-model-version";
import type { ModelVersion } from "@/lib/ai/model-version";
import { registerModelVersion } from "@/lib/ai/register-model-version";
import { activateModelVersion } from "@/lib/ai/activate-model-version";
import { recordAudit } from "@/lib/audit/record-audit";
import type { AuditActor } from "@/lib/audit/schemas";
import { getDb, getPool } from "@/lib/db/client";
import { retrainRuns } from "@/lib/db/schema";
import { UserError } from "@/lib/errors";
import { evaluateCandidate, type EvaluationReport } from "@/lib/retrain/evaluate-candidate";
import { isoWeek } from "@/lib/retrain/iso-week";
import { createFineTuneTarget } from "@/lib/retrain/create-fine-tune-target";
import { advanceAzureDeployment, deploymentNameFor } from "@/lib/retrain/advance-azure-deployment";
import { MIN_EXAMPLES_BY_TARGET, TARGET_LABELS, type FineTuneMethod, type RunMethod } from "@/lib/retrain/fine-tune-target";
import type { RetrainConfig } from "@/lib/retrain/read-retrain-config";
import { resolveRetrainConfig } from "@/lib/retrain/resolve-retrain-config";
import { getRun, runEvents, updateRun, type RetrainRun, type RunEvent } from "@/lib/retrain/runs";
import { trainLocalCandidate } from "@/lib/retrain/train-local-candidate";
import { buildDataset } from "@/lib/training/build-dataset";
import { defaultSince, findWorstPrompts } from "@/lib/training/find-worst-prompts";
import { streamDatasetJsonl } from "@/lib/training/stream-dataset-jsonl";
import { estimateNextFineTune, type NextFineTune } from "@/lib/retrain/estimate-next-fine-tune";
import { readTrainingSettings } from "@/lib/training/read-training-settings";

export type RetrainTrigger = "cron" | "cli" | "manager";

export type RetrainOptions = {
  trigger: RetrainTrigger;
  dryRun?: boolean;
  now?: Date;
  /** The manager who pressed "Run now". */
  userId?: string;
  userEmail?: string;
  /** Overrides for tests; defaults to the settings in force (the environment, with a manager's choice on /retrain over it). */
  config?: RetrainConfig;
  since?: Date;
  threshold?: number;
};

export type RetrainOutcome =
  | { status: "locked"; isoWeek: string; message: string }
  | { status: "dry-run"; isoWeek: string; mode: string; target: string; method: string; worstPrompts: number; candidateExamples: number; existingRun: string | null; wouldDo: string; estimate: NextFineTune }
  | { status: "already-ran"; isoWeek: string; run: RetrainRun; message: string }
  | { status: "done"; isoWeek: string; run: RetrainRun };

/** Statuses an earlier attempt left mid-way (crash) or failed in: the next trigger resumes them. */
const RESUMABLE: RetrainRun["status"][] = ["failed", "running", "uploading"];

/**
 * The weekly job: worst prompts → dataset snapshot (hygiene and validation included) → held for
 * review or sent to the target → recorded. Once per ISO week: a session advisory lock makes
 * concurrent triggers wait for nothing (the loser returns `locked`), and the unique iso_week row
 * makes a second trigger in the week return the first run. A failed run is resumed.
 * No network call happens inside a transaction.
 */
export async function runRetrain(options: RetrainOptions): Promise<RetrainOutcome> {
  const config = options.config ?? (await resolveRetrainConfig()).config;
  const week = isoWeek(options.now ?? new Date());
  const settings = readTrainingSettings();
  const since = options.since ?? defaultSince(settings.windowDays, (options.now ?? new Date()).getTime());
  const threshold = options.threshold ?? settings.threshold;
  if (options.dryRun) return dryRun({ week, config, since, threshold });

  const outcome = await withWeekLock(week, async (): Promise<RetrainOutcome> => {
    const [claimed] = await getDb()
      .insert(retrainRuns)
      .values({ isoWeek: week, mode: config.mode, target: config.target, method: config.method, trigger: options.trigger, events: [event(`Started by ${options.trigger}.`)] })
      .onConflictDoNothing({ target: retrainRuns.isoWeek })
      .returning();
    const actor = actorFor(options.trigger, options.userId, options.userEmail);
    let run = claimed;
    if (!run) {
      const [existing] = await getDb().select().from(retrainRuns).where(eq(retrainRuns.isoWeek, week));
      if (!existing || !RESUMABLE.includes(existing.status)) {
        return { status: "already-ran", isoWeek: week, run: existing!, message: `${week} already ran (${existing?.status}); the next run is next week.` };
      }
      run = await markResumed(existing, options.trigger);
    }
    await recordAudit({ actor, action: claimed ? "retrain.run" : "retrain.resume", target: week, details: { runId: run.id, mode: run.mode, target: run.target, attempts: run.attempts } });
    run = await advance(run, { config, since, threshold, userId: options.userId, actor });
    return { status: "done", isoWeek: week, run };
  });
  return outcome === LOCKED ? { status: "locked", isoWeek: week, message: `Another retrain of ${week} is running right now.` } : outcome;
}

const LOCKED = Symbol("locked");

/**
 * A session advisory lock per ISO week, on a dedicated connection (no transaction is held open
 * while the provider is called). Not acquired: someone else is working on that week right now.
 */
async function withWeekLock<T>(week: string, work: () => Promise<T>): Promise<T | typeof LOCKED> {
  const lock: pg.PoolClient = await getPool().connect();
  let locked = false;
  try {
    locked = (await lock.query("SELECT pg_try_advisory_lock(hashtext($1)) AS ok", [`retrain:${week}`])).rows[0].ok;
    if (!locked) return LOCKED;
    return await work();
  } finally {
    if (locked) await lock.query("SELECT pg_advisory_unlock(hashtext($1))", [`retrain:${week}`]).catch(() => {});
    lock.release();
  }
}

function markResumed(run: RetrainRun, by: string): Promise<RetrainRun> {
  return updateRun(
    run.id,
    { status: run.datasetId ? "uploading" : "running", attempts: sql`${retrainRuns.attempts} + 1` as unknown as number, error: null },
    { message: `Resumed by ${by} (attempt ${run.attempts + 1}).` },
  );
}

/**
 * Picks up a run where it stopped: a failed run of any week (the page's Retry), or one whose
 * process died mid-way (`running`/`uploading` with nobody holding its lock: the fine-tunes poll).
 */
export async function resumeRun({
  runId,
  trigger,
  userId,
  userEmail,
  config: given,
  statuses = RESUMABLE,
}: {
  runId: string;
  trigger: RetrainTrigger;
  userId?: string;
  userEmail?: string;
  config?: RetrainConfig;
  statuses?: RetrainRun["status"][];
}): Promise<RetrainRun | "locked"> {
  const config = given ?? (await resolveRetrainConfig()).config;
  const found = await getRun(runId);
  if (!found) throw new UserError({ code: "not_found", status: 404, message: "This retrain run does not exist." });
  const result = await withWeekLock(found.isoWeek, async () => {
    const run = (await getRun(runId))!;
    if (!statuses.includes(run.status)) {
      throw new UserError({ code: "not_resumable", status: 409, message: `This run is ${run.status}; only a failed or interrupted run can be retried.` });
    }
    const actor = actorFor(trigger, userId, userEmail);
    const resumed = await markResumed(run, trigger);
    await recordAudit({ actor, action: "retrain.resume", target: run.isoWeek, details: { runId, attempts: resumed.attempts } });
    return advance(resumed, { config, userId, actor });
  });
  return result === LOCKED ? "locked" : result;
}

function event(message: string, level: RunEvent["level"] = "info"): RunEvent {
  return { at: new Date().toISOString(), level, message };
}

function actorFor(trigger: RetrainTrigger, userId?: string, email?: string): AuditActor {
  if (trigger === "manager" && userId) return { type: "user", id: userId, email: email ?? "" };
  return { type: trigger === "cli" ? "cli" : "cron" };
}

async function dryRun({ week, config, since, threshold }: { week: string; config: RetrainConfig; since: Date; threshold: number }): Promise<RetrainOutcome> {
  const estimate = await estimateNextFineTune({ config, since, threshold });
  const [existing] = await getDb().select({ status: retrainRuns.status }).from(retrainRuns).where(eq(retrainRuns.isoWeek, week));
  const candidateExamples = config.method === "dpo" ? estimate.preferencePairs : estimate.examples;
  const minExamples = MIN_EXAMPLES_BY_TARGET[config.target];
  const wouldDo =
    existing && !RESUMABLE.includes(existing.status)
      ? `nothing: ${week} already ran (${existing.status})`
      : candidateExamples < minExamples
        ? `skip: at most ${candidateExamples} ${estimate.unit}, fewer than ${minExamples} (${minExamples - candidateExamples} more needed; they carry over)`
        : config.mode === "review"
          ? "build the dataset and hold it for a manager's approval"
          : `build the dataset and send it to the ${config.target} target`;
  return { status: "dry-run", isoWeek: week, mode: config.mode, target: config.target, method: config.method, worstPrompts: estimate.worstPrompts, candidateExamples, existingRun: existing?.status ?? null, wouldDo, estimate };
}

type Context = { config: RetrainConfig; since?: Date; threshold?: number; userId?: string; actor: AuditActor };

/** Takes a run as far as it can go now: dataset, hold, target. */
async function advance(run: RetrainRun, ctx: Context): Promise<RetrainRun> {
  try {
    if (!run.datasetId) {
      const minExamples = MIN_EXAMPLES_BY_TARGET[run.target];
      const method = (run.method ?? "sft") as RunMethod;
      // Small weeks add up: the weeks skipped for too few examples since the last dataset that
      // went out are still in the window, so their examples carry over instead of being dropped.
      const since = await carriedSince(run.id, ctx.since);
      const worst = await findWorstPrompts({ since, threshold: ctx.threshold });
      const common = { source: "worst-prompts" as const, since, threshold: ctx.threshold, createdVia: `retrain:${run.trigger}`, createdBy: ctx.userId ?? null, minExamples };
      const dataset = await buildDataset({ ...common, format: method === "dpo" ? "dpo" : "sft" });
      const preferences = method === "sft-dpo" ? await buildDataset({ ...common, format: "dpo" }) : null;
      const counts = {
        worstPrompts: worst.length,
        examples: dataset.exampleCount,
        train: dataset.trainCount,
        validation: dataset.validationCount,
        dropped: dataset.dropped,
        since: since?.toISOString(),
        minExamples,
        ...(preferences ? { preferencePairs: preferences.exampleCount } : {}),
      };
      if (!dataset.validation?.ok) {
        const problems = Object.keys(dataset.validation?.problems ?? {}).join(", ") || "invalid file";
        const needed = minExamples - dataset.exampleCount;
        const what = method === "dpo" ? "preference pairs" : "usable examples";
        const reason =
          needed > 0
            ? `${dataset.exampleCount} ${what} from ${worst.length} worst prompts: fewer than the ${minExamples} a fine-tune needs on ${TARGET_LABELS[run.target]}. ${needed} more needed; they carry over to the next run.`
            : `The dataset did not pass validation (${problems}).`;
        return updateRun(run.id, { status: "skipped", datasetId: dataset.id, counts: { ...counts, reason, ...(needed > 0 ? { needed } : {}) }, finishedAt: new Date() }, { message: `Skipped: ${reason}`, level: "warning" });
      }
      const withPairs = preferences?.validation?.ok ? preferences : null;
      run = await updateRun(
        run.id,
        { datasetId: dataset.id, dpoDatasetId: withPairs?.id ?? null, counts, stage: method === "dpo" ? "dpo" : "sft", ...(preferences && !withPairs ? { method: "sft" } : {}) },
        {
          message:
            `Dataset of ${dataset.exampleCount} ${method === "dpo" ? "preference pairs" : "examples"} (${dataset.trainCount} train, ${dataset.validationCount} validation) from ${worst.length} worst prompts.` +
            (preferences ? (withPairs ? ` Then DPO on ${preferences.exampleCount} preference pairs.` : ` Only ${preferences.exampleCount} preference pairs: SFT only this week.`) : ""),
        },
      );
    }
    if (run.mode === "review" && !run.approvedBy) {
      return updateRun(run.id, { status: "held" }, { message: "Held for a manager's review (RETRAIN_MODE=review)." });
    }
    return await sendToTarget(run, ctx);
  } catch (error) {
    const message = error instanceof UserError ? error.message : "Unexpected error; see the server log.";
    if (!(error instanceof UserError)) console.error("retrain failed", { runId: run.id, error });
    return updateRun(run.id, { status: "failed", error: message }, { message: `Failed: ${message}`, level: "error" });
  }
}

async function readSplit(datasetId: string, split: "train" | "validation"): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of streamDatasetJsonl(datasetId, { split })) parts.push(chunk);
  return Buffer.concat(parts);
}

async function sendToTarget(run: RetrainRun, ctx: Context): Promise<RetrainRun> {
  const { config } = ctx;
  if (run.target === "manual") {
    return updateRun(run.id, { status: "succeeded", finishedAt: new Date() }, { message: "Dataset ready to download for a manual fine-tune (FINE_TUNE_TARGET=manual)." });
  }
  if (run.target === "local") {
    const candidate = await registerModelVersion({
      provider: "local",
      name: "local-learned",
      version: run.isoWeek,
      notes: `Retrain ${run.isoWeek}: a classifier learned from dataset ${run.datasetId}'s training split, with the same-day retrieval behind it.`,
    });
    const learned = await trainLocalCandidate({ datasetId: run.datasetId!, modelVersionId: candidate.id });
    run = await updateRun(
      run.id,
      { status: "evaluating", candidateModelVersionId: candidate.id },
      { message: `Trained ${candidate.label} on ${learned.examples} examples of ${learned.questions} questions and ${learned.other} other messages (${learned.features} features).` },
    );
    return evaluateAndMaybePromote(run, candidate, ctx);
  }
  return startRemoteStage(run, ctx);
}

/**
 * Upload → job for the run's current stage on a remote target, each step saved before the next
 * network call: a retry skips what has an id. The DPO stage of sft-dpo trains the SFT model.
 */
async function startRemoteStage(run: RetrainRun, ctx: Context): Promise<RetrainRun> {
  const { config } = ctx;
  const target = createFineTuneTarget(run.target, config);
  const stage = (run.stage ?? (run.method === "dpo" ? "dpo" : "sft")) as FineTuneMethod;
  const datasetId = stage === "dpo" && run.dpoDatasetId ? run.dpoDatasetId : run.datasetId!;
  const stages = runStages(run);
  const baseModel = stage === "dpo" && run.method === "sft-dpo" ? (stages.find((s) => s.method === "sft")?.model ?? config.baseModel) : config.baseModel;
  run = await updateRun(run.id, { status: "uploading" }, { message: `Uploading the ${stage === "dpo" ? "preference" : "training"} dataset to ${target.label}.` });
  const runKey = `retrain-${run.id}-${stage}-a${run.attempts}`;
  const [training, validation] = await Promise.all([readSplit(datasetId, "train"), readSplit(datasetId, "validation")]);
  const lines = (b: Buffer) => b.reduce((n, byte) => (byte === 10 ? n + 1 : n), 0);
  const upload = async (split: "train" | "validation", content: Buffer) => {
    const id = await target.uploadFile({ content, filename: `${run.isoWeek.toLowerCase()}-${stage}-${split}.jsonl`, runKey, method: stage, examples: lines(content) });
    const column = split === "train" ? { trainingFileId: id } : { validationFileId: id };
    run = await updateRun(run.id, column, { message: `Uploaded the ${split === "train" ? "training" : "validation"} file ${id} to ${target.label}.` });
    await recordAudit({ actor: ctx.actor, action: "finetune.upload", target: run.isoWeek, details: { runId: run.id, target: run.target, stage, ...column } });
  };
  if (!run.trainingFileId) await upload("train", training);
  if (validation.length && !run.validationFileId) await upload("validation", validation);
  if (!run.fineTuneJobId) {
    await target.waitForFile(run.trainingFileId!);
    if (run.validationFileId) await target.waitForFile(run.validationFileId);
    const jobId = await target.createJob({
      trainingFileId: run.trainingFileId!,
      validationFileId: run.validationFileId,
      baseModel,
      suffix: `${config.suffix}-${run.isoWeek.toLowerCase()}${stage === "dpo" ? "-dpo" : ""}`.slice(0, 40),
      epochs: config.epochs,
      method: stage,
      runKey,
    });
    run = await updateRun(run.id, { fineTuneJobId: jobId }, { message: `Fine-tune job ${jobId} created (${stage.toUpperCase()} of ${baseModel} on ${target.label}).` });
    await recordAudit({ actor: ctx.actor, action: "finetune.upload", target: run.isoWeek, details: { runId: run.id, target: run.target, stage, jobId } });
  }
  return updateRun(run.id, { status: "training" }, { message: `Training on ${baseModel}.` });
}

export type RunStage = { method: FineTuneMethod; trainingFileId: string | null; validationFileId: string | null; jobId: string | null; model: string | null };

export function runStages(run: RetrainRun): RunStage[] {
  return Array.isArray(run.stages) ? (run.stages as RunStage[]) : [];
}

/**
 * The window of this run: the configured one, or further back to the window of the oldest run
 * skipped for too few examples since the last run that was not skipped (its examples carry over).
 */
async function carriedSince(runId: string, since: Date | undefined): Promise<Date | undefined> {
  const { rows } = await getPool().query(
    `SELECT min((counts->>'since')::timestamptz) AS since FROM retrain_runs
     WHERE status = 'skipped' AND counts ? 'needed' AND counts ? 'since' AND id <> $1
       AND created_at > coalesce((SELECT max(created_at) FROM retrain_runs WHERE status <> 'skipped' AND id <> $1), '-infinity')`,
    [runId],
  );
  const carried = rows[0]?.since as Date | null;
  const window = since ?? defaultSince(readTrainingSettings().windowDays);
  return carried && carried < window ? carried : window;
}

async function evaluateAndMaybePromote(run: RetrainRun, candidate: ModelVersion, ctx: Context): Promise<RetrainRun> {
  const baseline = (await getActiveModelVersion(ctx.config.ai)).version;
  const evaluation = await evaluateCandidate({ runId: run.id, datasetId: run.datasetId!, candidate, baseline, config: ctx.config.ai, limit: ctx.config.evalExamples });
  const summary = `Evaluated ${candidate.label} against ${baseline.label} on ${evaluation.examples} validation ${run.method === "dpo" ? "preference pairs" : "examples"}: similarity ${evaluation.candidateScore.toFixed(3)} vs ${evaluation.baselineScore.toFixed(3)}` +
    (evaluation.pairwiseWins !== null ? `, judged ${evaluation.pairwiseWins} wins / ${evaluation.pairwiseLosses} losses / ${evaluation.pairwiseTies} ties` : "") +
    perQuestion(evaluation.report as EvaluationReport) +
    `; winner: ${evaluation.winner}.`;
  run = await updateRun(run.id, { status: "succeeded", finishedAt: new Date() }, { message: summary });
  if (ctx.config.autoPromote && evaluation.winner === "candidate") {
    await decideEvaluation({ evaluationId: evaluation.id, decision: "promote", actor: { type: "cron" } });
    run = (await getRun(run.id))!;
  }
  return run;
}

function perQuestion({ groups, margin }: EvaluationReport): string {
  if (!groups?.length) return "";
  const better = groups.filter((g) => g.candidateScore - g.baselineScore > margin).length;
  const worse = groups.filter((g) => g.baselineScore - g.candidateScore > margin).length;
  return `; per question: ${better} better, ${worse} worse, ${groups.length - better - worse} even of ${groups.length}`;
}

/** A manager approves a held dataset: it goes to the target now. */
export async function approveHeldRun({ runId, userId, email, config: given }: { runId: string; userId: string; email: string; config?: RetrainConfig }): Promise<RetrainRun> {
  const config = given ?? (await resolveRetrainConfig()).config;
  const [claimed] = await getDb()
    .update(retrainRuns)
    .set({ approvedBy: userId, approvedAt: new Date(), status: "uploading", updatedAt: new Date(), events: sql`${retrainRuns.events} || ${JSON.stringify([event("Approved by a manager.")])}::jsonb` })
    .where(sql`${retrainRuns.id} = ${runId} AND ${retrainRuns.status} = 'held'`)
    .returning();
  if (!claimed) throw new UserError({ code: "not_held", status: 409, message: "This run is not waiting for approval (it may have been approved already)." });
  await recordAudit({ actor: { type: "user", id: userId, email }, action: "retrain.approve", target: claimed.isoWeek, details: { runId } });
  return advance(claimed, { config, userId, actor: { type: "user", id: userId, email } });
}

/**
 * One poll of every run that is training (the cron route every 30 minutes; never a page view, which
 * only reads): the provider's events are kept; on success the fine-tuned model is registered as an
 * inactive version and evaluated (Azure's first deployed, or left for a manager to deploy);
 * on failure the provider's message is recorded.
 */
export async function pollFineTunes({
  config: given,
  defer,
}: {
  config?: RetrainConfig;
  /** The page passes next/server's after(): the evaluation then runs after the response, not during the render. */
  defer?: (work: () => Promise<void>) => void;
} = {}): Promise<{ polled: number; succeeded: number; failed: number; resumed: number; deployed: number }> {
  const config = given ?? (await resolveRetrainConfig()).config;
  const result = { polled: 0, succeeded: 0, failed: 0, resumed: 0, deployed: 0 };
  // Interrupted runs (a serverless function that timed out mid-upload, a restart): nobody holds
  // their week's lock, so they are picked up where they stopped; the saved file ids mean no re-upload.
  const interrupted = await getDb()
    .select({ id: retrainRuns.id })
    .from(retrainRuns)
    .where(sql`${retrainRuns.status} IN ('running', 'uploading') AND ${retrainRuns.updatedAt} < now() - interval '2 minutes'`);
  for (const { id } of interrupted) {
    const resume = async () => {
      const outcome = await resumeRun({ runId: id, trigger: "cron", config, statuses: ["running", "uploading"] }).catch(() => "locked" as const);
      if (outcome !== "locked") result.resumed++;
    };
    if (defer) defer(resume);
    else await resume();
  }
  const training = await getDb().select().from(retrainRuns).where(sql`${retrainRuns.status} = 'training' AND ${retrainRuns.fineTuneJobId} IS NOT NULL`);
  for (const run of training) {
    let target;
    try {
      target = createFineTuneTarget(run.target, config);
    } catch {
      continue; // this process is not configured for that target (the run stays as it is)
    }
    result.polled++;
    let status;
    try {
      status = await target.pollJob(run.fineTuneJobId!);
    } catch (error) {
      const message = error instanceof UserError ? error.message : "unknown error";
      await updateRun(run.id, {}, { message: `Could not read the job's status: ${message}`, level: "warning" });
      continue;
    }
    const providerEvents: RunEvent[] = status.events.map((e) => ({ at: e.createdAt, level: e.level, message: e.message, source: "provider" }));
    const own = runEvents(run).filter((e) => e.source !== "provider");
    await getDb().update(retrainRuns).set({ events: [...own, ...providerEvents].sort((a, b) => a.at.localeCompare(b.at)), updatedAt: new Date() }).where(eq(retrainRuns.id, run.id));
    const stage = (run.stage ?? "sft") as FineTuneMethod;
    if (status.status === "succeeded" && status.fineTunedModel) {
      result.succeeded++;
      if (run.method === "sft-dpo" && stage === "sft" && run.dpoDatasetId) {
        // SFT done: the DPO stage trains the SFT model on the preference pairs (new files, new job).
        const done: RunStage = { method: "sft", trainingFileId: run.trainingFileId, validationFileId: run.validationFileId, jobId: run.fineTuneJobId, model: status.fineTunedModel };
        const [claimed] = await getDb()
          .update(retrainRuns)
          .set({
            status: "uploading",
            stage: "dpo",
            stages: sql`${retrainRuns.stages} || ${JSON.stringify([done])}::jsonb`,
            fineTunedModel: status.fineTunedModel,
            trainingFileId: null,
            validationFileId: null,
            fineTuneJobId: null,
            updatedAt: new Date(),
            events: sql`${retrainRuns.events} || ${JSON.stringify([event(`SFT succeeded: ${status.fineTunedModel}. DPO on it next.`)])}::jsonb`,
          })
          .where(sql`${retrainRuns.id} = ${run.id} AND ${retrainRuns.status} = 'training'`)
          .returning();
        if (!claimed) continue;
        const next = async () => {
          await resumeRun({ runId: run.id, trigger: "cron", config, statuses: ["uploading"] }).catch(() => "locked" as const);
        };
        if (defer) defer(next);
        else await next();
        continue;
      }
      if (run.target === "azure") {
        // Azure serves a fine-tuned model only once it is deployed, and each retrain makes a new
        // model: the app deploys it (management credentials, below) or a manager does (/retrain).
        const management = config.providers.azure?.management ?? null;
        const deployment = management ? deploymentNameFor(run) : null;
        const next = management ? ` Deploying it as ${deployment}.` : " Deploy it in Azure and enter the deployment's name on /retrain; the run waits for it.";
        await getDb()
          .update(retrainRuns)
          .set({ status: management ? "deploying" : "awaiting_deployment", fineTunedModel: status.fineTunedModel, deploymentName: deployment, updatedAt: new Date(), events: sql`${retrainRuns.events} || ${JSON.stringify([event(`Fine-tune succeeded: ${status.fineTunedModel}.${next}`)])}::jsonb` })
          .where(sql`${retrainRuns.id} = ${run.id} AND ${retrainRuns.status} = 'training'`);
        continue; // deployed below, in this same poll
      }
      const provider = run.target === "local" || run.target === "manual" ? "openai" : run.target;
      const candidate = await registerModelVersion({ provider, name: status.fineTunedModel, version: run.isoWeek, notes: `Fine-tuned on ${TARGET_LABELS[run.target]} by retrain ${run.isoWeek} (job ${run.fineTuneJobId}, model ${status.fineTunedModel}).` });
      // Claimed: of two polls at once (the cron and a page view), only one evaluates.
      const [claimed] = await getDb()
        .update(retrainRuns)
        .set({ status: "evaluating", fineTunedModel: status.fineTunedModel, candidateModelVersionId: candidate.id, updatedAt: new Date(), events: sql`${retrainRuns.events} || ${JSON.stringify([event(`Fine-tune succeeded: ${status.fineTunedModel}.`)])}::jsonb` })
        .where(sql`${retrainRuns.id} = ${run.id} AND ${retrainRuns.status} = 'training'`)
        .returning();
      if (!claimed) continue;
      const evaluate = () => evaluateServedCandidate({ run: claimed, candidate, config });
      if (defer) defer(evaluate);
      else await evaluate();
    } else if (status.status === "failed" || status.status === "cancelled") {
      result.failed++;
      const message = status.error ?? `The job was ${status.status}.`;
      await failTrainingRun(run.id, `${target.label}: ${message}`, `Fine-tune ${status.status}: ${message}`);
    } else if (Date.now() - jobStartedAt(run) > config.jobTimeoutMs) {
      // Too long: stop paying for it. Cancelled at the provider, failed here; Retry starts a new job from the files.
      result.failed++;
      await target.cancelJob(run.fineTuneJobId!).catch(() => {});
      const hours = Math.round(config.jobTimeoutMs / 3_600_000);
      await failTrainingRun(run.id, `${target.label}: the job ran longer than ${hours} h (FINE_TUNE_TIMEOUT_HOURS) and was cancelled. Retry starts a new job from the uploaded files.`, `Timed out after ${hours} h; cancelled at ${target.label}.`);
    }
  }
  await advanceDeployments({ config, defer, result });
  return result;
}

/**
 * Azure runs whose model is being deployed (or waits for a manager while the app now has
 * management credentials): one deployment step each; a served one is evaluated. A run waiting
 * for a manager without credentials is left alone: no poll fails or times it out.
 */
async function advanceDeployments({ config, defer, result }: { config: RetrainConfig; defer?: (work: () => Promise<void>) => void; result: { deployed: number; failed: number } }) {
  const management = config.providers.azure?.management;
  if (!management) return;
  const waiting = await getDb().select().from(retrainRuns).where(sql`${retrainRuns.status} IN ('deploying', 'awaiting_deployment') AND ${retrainRuns.target} = 'azure'`);
  for (let run of waiting) {
    if (run.status === "awaiting_deployment") {
      const [claimed] = await getDb()
        .update(retrainRuns)
        .set({ status: "deploying", deploymentName: deploymentNameFor(run), updatedAt: new Date(), events: sql`${retrainRuns.events} || ${JSON.stringify([event(`Azure management credentials are set: deploying it as ${deploymentNameFor(run)}.`)])}::jsonb` })
        .where(sql`${retrainRuns.id} = ${run.id} AND ${retrainRuns.status} = 'awaiting_deployment'`)
        .returning();
      if (!claimed) continue;
      run = claimed;
    }
    const step = await advanceAzureDeployment({ run, config });
    if (step.kind === "failed") result.failed++;
    if (step.kind !== "served") continue;
    result.deployed++;
    const evaluate = () => evaluateServedCandidate({ run: step.run, candidate: step.candidate, config });
    if (defer) defer(evaluate);
    else await evaluate();
  }
}

/** Evaluates a registered fine-tuned model; a failure fails the run with a message (Retry resumes). */
export async function evaluateServedCandidate({ run, candidate, config }: { run: RetrainRun; candidate: ModelVersion; config: RetrainConfig }): Promise<void> {
  try {
    await evaluateAndMaybePromote(run, candidate, { config, actor: { type: "cron" } });
  } catch (error) {
    const message = error instanceof UserError ? error.message : "Unexpected error; see the server log.";
    if (!(error instanceof UserError)) console.error("evaluation failed", { runId: run.id, error });
    await updateRun(run.id, { status: "failed", error: `Evaluation failed: ${message}` }, { message: `Evaluation failed: ${message}`, level: "error" });
  }
}

/** The files stay uploaded; a retry starts a new job from them. Only a run still training is failed. */
async function failTrainingRun(runId: string, error: string, message: string) {
  await getDb()
    .update(retrainRuns)
    .set({ status: "failed", error, fineTuneJobId: null, updatedAt: new Date(), events: sql`${retrainRuns.events} || ${JSON.stringify([event(message, "error")])}::jsonb` })
    .where(sql`${retrainRuns.id} = ${runId} AND ${retrainRuns.status} = 'training'`);
}

/** When the current job was created: its "Fine-tune job … created" event. */
function jobStartedAt(run: RetrainRun): number {
  const created = runEvents(run).findLast((e) => e.source !== "provider" && e.message.startsWith(`Fine-tune job ${run.fineTuneJobId} created`));
  return created ? Date.parse(created.at) : run.updatedAt.getTime();
}

/**
 * A manager stops a job that is training (the page's Cancel): cancelled at the provider, the run
 * failed with the files kept, so Retry starts a new job without uploading again.
 */
export async function cancelTrainingRun({ runId, actor, config: given }: { runId: string; actor: AuditActor; config?: RetrainConfig }): Promise<RetrainRun> {
  const config = given ?? (await resolveRetrainConfig()).config;
  const run = await getRun(runId);
  if (!run || run.status !== "training" || !run.fineTuneJobId) {
    throw new UserError({ code: "not_training", status: 409, message: "This run has no job training right now." });
  }
  const target = createFineTuneTarget(run.target, config);
  await target.cancelJob(run.fineTuneJobId);
  await failTrainingRun(run.id, `${target.label}: cancelled by a manager. Retry starts a new job from the uploaded files.`, `Job ${run.fineTuneJobId} cancelled.`);
  await recordAudit({ actor, action: "finetune.cancel", target: run.isoWeek, details: { runId, jobId: run.fineTuneJobId } });
  return (await getRun(runId))!;
}

/** Promote or discard a candidate, or roll back a promotion to the version active before it. */
export async function decideEvaluation({
  evaluationId,
  decision,
  actor,
}: {
  evaluationId: string;
  decision: "promote" | "discard" | "rollback";
  actor: AuditActor;
}): Promise<void> {
  const { rows } = await getPool().query(
    `SELECT e.*, r.iso_week FROM model_evaluations e JOIN retrain_runs r ON r.id = e.run_id WHERE e.id = $1`,
    [evaluationId],
  );
  const row = rows[0];
  if (!row) throw new UserError({ code: "not_found", status: 404, message: "This evaluation does not exist." });
  const allowed = { promote: ["pending"], discard: ["pending"], rollback: ["promoted"] }[decision];
  if (!allowed.includes(row.decision)) {
    throw new UserError({ code: "already_decided", status: 409, message: `This candidate was already ${row.decision.replace("_", " ")}.` });
  }
  const userId = actor.type === "user" ? actor.id : undefined;
  const by = actor.type === "user" ? "manager" : "retrain";
  if (decision === "promote") await activateModelVersion({ id: row.candidate_version_id, by, userId, actor });
  if (decision === "rollback") await activateModelVersion({ id: row.baseline_version_id, by, userId, actor });
  const next = { promote: "promoted", discard: "discarded", rollback: "rolled_back" }[decision];
  const { rowCount } = await getPool().query(
    `UPDATE model_evaluations SET decision = $2, decided_by = $3, decided_at = now() WHERE id = $1 AND decision = $4`,
    [evaluationId, next, userId ?? null, row.decision],
  );
  if (!rowCount) throw new UserError({ code: "already_decided", status: 409, message: "Someone else decided this candidate a moment ago." });
  const message = { promote: "Candidate promoted: it is the active version now.", discard: "Candidate discarded.", rollback: "Rolled back to the version active before." }[decision];
  await updateRun(row.run_id, decision === "discard" ? { status: "discarded" } : {}, { message });
  await recordAudit({ actor, action: `retrain.${decision}`, target: row.iso_week, details: { evaluationId, candidateVersionId: row.candidate_version_id, baselineVersionId: row.baseline_version_id } });
}


