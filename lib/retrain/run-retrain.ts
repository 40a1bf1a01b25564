import "server-only";
import { eq, sql } from "drizzle-orm";
import type pg from "pg";
import { getActiveModelVersion } from "@/lib/ai/get-active-model-version";
import type { ModelVersion } from "@/lib/ai/model-version";
import { createOpenAIClient, toProviderError } from "@/lib/ai/openai-provider";
import { registerModelVersion } from "@/lib/ai/register-model-version";
import { activateModelVersion } from "@/lib/ai/activate-model-version";
import { recordAudit } from "@/lib/audit/record-audit";
import type { AuditActor } from "@/lib/audit/schemas";
import { getDb, getPool } from "@/lib/db/client";
import { retrainRuns } from "@/lib/db/schema";
import { UserError } from "@/lib/errors";
import { evaluateCandidate, type EvaluationReport } from "@/lib/retrain/evaluate-candidate";
import { isoWeek } from "@/lib/retrain/iso-week";
import { pollOpenAIFineTune, startOpenAIFineTune, type FineTuneProgress } from "@/lib/retrain/openai-fine-tune";
import { readRetrainConfig, type RetrainConfig } from "@/lib/retrain/read-retrain-config";
import { getRun, updateRun, type RetrainRun, type RunEvent } from "@/lib/retrain/runs";
import { trainLocalCandidate } from "@/lib/retrain/train-local-candidate";
import { buildDataset } from "@/lib/training/build-dataset";
import { defaultSince, findWorstPrompts } from "@/lib/training/find-worst-prompts";
import { streamDatasetJsonl } from "@/lib/training/stream-dataset-jsonl";
import { MIN_EXAMPLES } from "@/lib/training/validate-jsonl";
import { readTrainingSettings } from "@/lib/training/read-training-settings";

export type RetrainTrigger = "cron" | "cli" | "manager";

export type RetrainOptions = {
  trigger: RetrainTrigger;
  dryRun?: boolean;
  now?: Date;
  /** The manager who pressed "Run now". */
  userId?: string;
  userEmail?: string;
  /** Overrides for tests and the CLI; defaults from the environment. */
  config?: RetrainConfig;
  since?: Date;
  threshold?: number;
};

export type RetrainOutcome =
  | { status: "locked"; isoWeek: string; message: string }
  | { status: "dry-run"; isoWeek: string; mode: string; target: string; worstPrompts: number; candidateExamples: number; existingRun: string | null; wouldDo: string }
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
  const config = options.config ?? readRetrainConfig();
  const week = isoWeek(options.now ?? new Date());
  const settings = readTrainingSettings();
  const since = options.since ?? defaultSince(settings.windowDays, (options.now ?? new Date()).getTime());
  const threshold = options.threshold ?? settings.threshold;
  if (options.dryRun) return dryRun({ week, config, since, threshold });

  const outcome = await withWeekLock(week, async (): Promise<RetrainOutcome> => {
    const [claimed] = await getDb()
      .insert(retrainRuns)
      .values({ isoWeek: week, mode: config.mode, target: config.target, trigger: options.trigger, events: [event(`Started by ${options.trigger}.`)] })
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
  config = readRetrainConfig(),
  statuses = RESUMABLE,
}: {
  runId: string;
  trigger: RetrainTrigger;
  userId?: string;
  userEmail?: string;
  config?: RetrainConfig;
  statuses?: RetrainRun["status"][];
}): Promise<RetrainRun | "locked"> {
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
  const worst = await findWorstPrompts({ since, threshold });
  // Before hygiene (dedupe, token limit): the real count can only be lower.
  const { rows } = await getPool().query(
    `SELECT count(*)::int AS n FROM training_log WHERE review_status IN ('pending', 'approved') AND status = 'ready' AND prompt_group_id = ANY($1::uuid[])`,
    [worst.map((w) => w.groupId)],
  );
  const [existing] = await getDb().select({ status: retrainRuns.status }).from(retrainRuns).where(eq(retrainRuns.isoWeek, week));
  const candidateExamples = rows[0].n as number;
  const wouldDo =
    existing && !RESUMABLE.includes(existing.status)
      ? `nothing: ${week} already ran (${existing.status})`
      : candidateExamples < MIN_EXAMPLES
        ? `skip: at most ${candidateExamples} examples, fewer than ${MIN_EXAMPLES}`
        : config.mode === "review"
          ? "build the dataset and hold it for a manager's approval"
          : `build the dataset and send it to the ${config.target} target`;
  return { status: "dry-run", isoWeek: week, mode: config.mode, target: config.target, worstPrompts: worst.length, candidateExamples, existingRun: existing?.status ?? null, wouldDo };
}

type Context = { config: RetrainConfig; since?: Date; threshold?: number; userId?: string; actor: AuditActor };

/** Takes a run as far as it can go now: dataset, hold, target. */
async function advance(run: RetrainRun, ctx: Context): Promise<RetrainRun> {
  try {
    if (!run.datasetId) {
      const worst = await findWorstPrompts({ since: ctx.since, threshold: ctx.threshold });
      const dataset = await buildDataset({ source: "worst-prompts", since: ctx.since, threshold: ctx.threshold, createdVia: `retrain:${run.trigger}`, createdBy: ctx.userId ?? null });
      const counts = { worstPrompts: worst.length, examples: dataset.exampleCount, train: dataset.trainCount, validation: dataset.validationCount, dropped: dataset.dropped };
      if (!dataset.validation?.ok) {
        const problems = Object.keys(dataset.validation?.problems ?? {}).join(", ") || "invalid file";
        const reason =
          dataset.exampleCount < MIN_EXAMPLES
            ? `${dataset.exampleCount} usable examples from ${worst.length} worst prompts: fewer than the ${MIN_EXAMPLES} a fine-tune needs.`
            : `The dataset did not pass validation (${problems}).`;
        return updateRun(run.id, { status: "skipped", datasetId: dataset.id, counts: { ...counts, reason }, finishedAt: new Date() }, { message: `Skipped: ${reason}`, level: "warning" });
      }
      run = await updateRun(run.id, { datasetId: dataset.id, counts }, { message: `Dataset of ${dataset.exampleCount} examples (${dataset.trainCount} train, ${dataset.validationCount} validation) from ${worst.length} worst prompts.` });
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
  // openai
  if (!config.ai.openai) throw new UserError({ code: "provider_not_configured", status: 409, message: "FINE_TUNE_TARGET=openai needs OPENAI_API_KEY (or OPENAI_BASE_URL)." });
  const openai = config.ai.openai;
  run = await updateRun(run.id, { status: "uploading" }, { message: "Uploading the dataset." });
  const [training, validation] = await Promise.all([readSplit(run.datasetId!, "train"), readSplit(run.datasetId!, "validation")]);
  const progress: FineTuneProgress = { trainingFileId: run.trainingFileId ?? undefined, validationFileId: run.validationFileId ?? undefined, jobId: run.fineTuneJobId ?? undefined };
  try {
    const started = await startOpenAIFineTune({
      client: createOpenAIClient(openai),
      runKey: `retrain-${run.id}-a${run.attempts}`,
      training: { filename: `${run.isoWeek}-train.jsonl`, content: training },
      validation: validation.length ? { filename: `${run.isoWeek}-validation.jsonl`, content: validation } : null,
      baseModel: config.baseModel,
      suffix: `${config.suffix}-${run.isoWeek.toLowerCase()}`.slice(0, 40),
      epochs: config.epochs,
      progress,
      pollIntervalMs: config.filePollMs,
      onProgress: async (p) => {
        const step = p.jobId ? `Fine-tune job ${p.jobId} created.` : p.validationFileId && !progress.validationFileId ? `Uploaded validation file ${p.validationFileId}.` : `Uploaded training file ${p.trainingFileId}.`;
        await updateRun(run.id, { trainingFileId: p.trainingFileId ?? null, validationFileId: p.validationFileId ?? null, fineTuneJobId: p.jobId ?? null }, { message: step });
        Object.assign(progress, p);
        await recordAudit({ actor: ctx.actor, action: "finetune.upload", target: run.isoWeek, details: { runId: run.id, ...p } });
      },
    });
    return updateRun(run.id, { status: "training", fineTuneJobId: started.jobId }, { message: `Training on ${config.baseModel}.` });
  } catch (error) {
    throw toProviderError(error, { config: openai, model: config.baseModel });
  }
}

async function evaluateAndMaybePromote(run: RetrainRun, candidate: ModelVersion, ctx: Context): Promise<RetrainRun> {
  const baseline = (await getActiveModelVersion(ctx.config.ai)).version;
  const evaluation = await evaluateCandidate({ runId: run.id, datasetId: run.datasetId!, candidate, baseline, config: ctx.config.ai, limit: ctx.config.evalExamples });
  const summary = `Evaluated ${candidate.label} against ${baseline.label} on ${evaluation.examples} validation examples: similarity ${evaluation.candidateScore.toFixed(3)} vs ${evaluation.baselineScore.toFixed(3)}` +
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
export async function approveHeldRun({ runId, userId, email, config = readRetrainConfig() }: { runId: string; userId: string; email: string; config?: RetrainConfig }): Promise<RetrainRun> {
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
 * inactive version and evaluated; on failure the provider's message is recorded.
 */
export async function pollFineTunes({
  config = readRetrainConfig(),
  defer,
}: {
  config?: RetrainConfig;
  /** The page passes next/server's after(): the evaluation then runs after the response, not during the render. */
  defer?: (work: () => Promise<void>) => void;
} = {}): Promise<{ polled: number; succeeded: number; failed: number; resumed: number }> {
  const result = { polled: 0, succeeded: 0, failed: 0, resumed: 0 };
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
  if (!config.ai.openai) return result;
  const openai = config.ai.openai;
  for (const run of training) {
    result.polled++;
    let status;
    try {
      status = await pollOpenAIFineTune({ client: createOpenAIClient(openai), jobId: run.fineTuneJobId! });
    } catch (error) {
      const e = toProviderError(error, { config: openai, model: config.baseModel });
      await updateRun(run.id, {}, { message: `Could not read the job's status: ${e instanceof Error ? e.message : "unknown error"}`, level: "warning" });
      continue;
    }
    const providerEvents: RunEvent[] = status.events.map((e) => ({ at: e.createdAt, level: e.level === "error" ? "error" : e.level === "warn" ? "warning" : "info", message: e.message, source: "provider" }));
    const own = (Array.isArray(run.events) ? (run.events as RunEvent[]) : []).filter((e) => e.source !== "provider");
    await getDb().update(retrainRuns).set({ events: [...own, ...providerEvents].sort((a, b) => a.at.localeCompare(b.at)), updatedAt: new Date() }).where(eq(retrainRuns.id, run.id));
    if (status.status === "succeeded" && status.fineTunedModel) {
      result.succeeded++;
      const candidate = await registerModelVersion({ provider: "openai", name: status.fineTunedModel, version: run.isoWeek, notes: `Fine-tuned by retrain ${run.isoWeek} (job ${run.fineTuneJobId}).` });
      // Claimed: of two polls at once (the cron and a page view), only one evaluates.
      const [claimed] = await getDb()
        .update(retrainRuns)
        .set({ status: "evaluating", fineTunedModel: status.fineTunedModel, candidateModelVersionId: candidate.id, updatedAt: new Date(), events: sql`${retrainRuns.events} || ${JSON.stringify([event(`Fine-tune succeeded: ${status.fineTunedModel}.`)])}::jsonb` })
        .where(sql`${retrainRuns.id} = ${run.id} AND ${retrainRuns.status} = 'training'`)
        .returning();
      if (!claimed) continue;
      const evaluate = async () => {
        try {
          await evaluateAndMaybePromote(claimed, candidate, { config, actor: { type: "cron" } });
        } catch (error) {
          const message = error instanceof UserError ? error.message : "Unexpected error; see the server log.";
          await updateRun(run.id, { status: "failed", error: `Evaluation failed: ${message}` }, { message: `Evaluation failed: ${message}`, level: "error" });
        }
      };
      if (defer) defer(evaluate);
      else await evaluate();
    } else if (status.status === "failed" || status.status === "cancelled") {
      result.failed++;
      const message = status.error ?? `The job was ${status.status}.`;
      // The files stay uploaded; a retry starts a new job from them.
      await getDb()
        .update(retrainRuns)
        .set({ status: "failed", error: `OpenAI: ${message}`, fineTuneJobId: null, updatedAt: new Date(), events: sql`${retrainRuns.events} || ${JSON.stringify([event(`Fine-tune ${status.status}: ${message}`, "error")])}::jsonb` })
        .where(sql`${retrainRuns.id} = ${run.id} AND ${retrainRuns.status} = 'training'`);
    }
  }
  return result;
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


