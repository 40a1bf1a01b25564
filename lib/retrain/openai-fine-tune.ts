import "server-only";
import OpenAI, { toFile } from "openai";

export type FineTuneProgress = { trainingFileId?: string; validationFileId?: string; jobId?: string };

export type StartFineTuneInput = {
  client: OpenAI;
  /** Stable per run: used as the Idempotency-Key of each request, so a retried run never uploads twice. */
  runKey: string;
  training: { filename: string; content: Buffer };
  validation?: { filename: string; content: Buffer } | null;
  baseModel: string;
  suffix: string;
  epochs?: number | "auto";
  /** What an earlier attempt already did; steps with an id are skipped. */
  progress: FineTuneProgress;
  /** Called after every step, so the caller can persist progress before the next network call. */
  onProgress: (progress: FineTuneProgress) => Promise<void>;
  pollIntervalMs?: number;
  maxWaitMs?: number;
};

/**
 * The current fine-tuning API: files.create (purpose fine-tune) → wait until processed →
 * fineTuning.jobs.create with hyperparameters under `method`. Resumable step by step.
 */
export async function startOpenAIFineTune(input: StartFineTuneInput): Promise<Required<Pick<FineTuneProgress, "trainingFileId" | "jobId">> & FineTuneProgress> {
  const { client, runKey, progress } = input;
  const state: FineTuneProgress = { ...progress };
  const wait = { pollInterval: input.pollIntervalMs ?? 5_000, maxWait: input.maxWaitMs ?? 30 * 60_000 };

  if (!state.trainingFileId) {
    const file = await client.files.create(
      { file: await toFile(input.training.content, input.training.filename), purpose: "fine-tune" },
      { headers: { "Idempotency-Key": `${runKey}-training-file` } },
    );
    state.trainingFileId = file.id;
    await input.onProgress(state);
  }
  if (input.validation && !state.validationFileId) {
    const file = await client.files.create(
      { file: await toFile(input.validation.content, input.validation.filename), purpose: "fine-tune" },
      { headers: { "Idempotency-Key": `${runKey}-validation-file` } },
    );
    state.validationFileId = file.id;
    await input.onProgress(state);
  }
  if (!state.jobId) {
    await client.files.waitForProcessing(state.trainingFileId, wait);
    if (state.validationFileId) await client.files.waitForProcessing(state.validationFileId, wait);
    const job = await client.fineTuning.jobs.create(
      {
        model: input.baseModel,
        training_file: state.trainingFileId,
        validation_file: state.validationFileId ?? undefined,
        suffix: input.suffix,
        method: { type: "supervised", supervised: { hyperparameters: { n_epochs: input.epochs ?? "auto" } } },
      },
      { headers: { "Idempotency-Key": `${runKey}-job` } },
    );
    state.jobId = job.id;
    await input.onProgress(state);
  }
  return state as Required<Pick<FineTuneProgress, "trainingFileId" | "jobId">> & FineTuneProgress;
}

export type FineTuneStatus = {
  status: "validating_files" | "queued" | "running" | "succeeded" | "failed" | "cancelled";
  fineTunedModel: string | null;
  error: string | null;
  events: { createdAt: string; level: string; message: string }[];
};

/** One poll: the job's status, its model on success, OpenAI's message on failure, the event log. */
export async function pollOpenAIFineTune({ client, jobId }: { client: OpenAI; jobId: string }): Promise<FineTuneStatus> {
  const job = await client.fineTuning.jobs.retrieve(jobId);
  const events = await client.fineTuning.jobs.listEvents(jobId, { limit: 100 });
  return {
    status: job.status,
    fineTunedModel: job.fine_tuned_model,
    error: job.error?.message ?? null,
    events: events.data
      .map((e) => ({ createdAt: new Date(e.created_at * 1000).toISOString(), level: e.level, message: e.message }))
      .reverse(),
  };
}
