import "server-only";
import OpenAI, { AzureOpenAI, toFile } from "openai";
import type { OpenAIConfig } from "@/lib/ai/read-ai-config";
import { UserError } from "@/lib/errors";
import { MIN_EXAMPLES_BY_TARGET, TARGET_LABELS, type JobStatus, type RemoteTarget } from "@/lib/retrain/fine-tune-target";

export type OpenAIFamilyOptions =
  | { name: "openai" | "openai-compatible"; client: OpenAI; host: string; serving: OpenAIConfig | null; filePollMs?: number }
  | { name: "azure"; endpoint: string; apiKey: string; apiVersion: string; serving: OpenAIConfig | null; filePollMs?: number; maxRetries?: number; timeoutMs?: number };

const LEVEL = { info: "info", warn: "warning", error: "error" } as const;

/**
 * OpenAI's files + fine_tuning/jobs API through the `openai` SDK, for the three targets that speak
 * it: OpenAI (while it lasts), Azure OpenAI (AzureOpenAI client: api-version, deployments) and any
 * compatible server. SFT and DPO both go under `method`. Each POST carries an Idempotency-Key
 * derived from the run, so a request retried after a lost answer does not make a second file or job.
 */
export function createOpenAIFamilyTarget(options: OpenAIFamilyOptions): RemoteTarget {
  const client =
    options.name === "azure"
      ? // baseURL rather than endpoint: the SDK would otherwise also read OPENAI_BASE_URL from the environment and refuse both.
        new AzureOpenAI({ baseURL: `${options.endpoint.replace(/\/+$/, "")}/openai`, apiKey: options.apiKey, apiVersion: options.apiVersion, maxRetries: options.maxRetries ?? 2, timeout: options.timeoutMs ?? 60_000 })
      : options.client;
  const host = options.name === "azure" ? safeHost(options.endpoint) : options.host;
  const label = TARGET_LABELS[options.name];
  const fail = (step: string) => (error: unknown): never => {
    throw toTargetError(error, { name: options.name, label, host, step });
  };
  return {
    name: options.name,
    label,
    methods: ["sft", "dpo"],
    minExamples: MIN_EXAMPLES_BY_TARGET[options.name],
    serving: options.serving,
    async uploadFile({ content, filename, runKey }) {
      const file = await client.files
        .create({ file: await toFile(content, filename), purpose: "fine-tune" }, { headers: { "Idempotency-Key": `${runKey}-${filename}` } })
        .catch(fail("upload the dataset"));
      return file.id;
    },
    async waitForFile(fileId) {
      await client.files.waitForProcessing(fileId, { pollInterval: options.filePollMs ?? 5_000, maxWait: 30 * 60_000 }).catch(fail("wait for the uploaded file"));
    },
    async createJob({ trainingFileId, validationFileId, baseModel, suffix, epochs, method, runKey }) {
      const hyperparameters = { n_epochs: epochs };
      const job = await client.fineTuning.jobs
        .create(
          {
            model: baseModel,
            training_file: trainingFileId,
            validation_file: validationFileId ?? undefined,
            suffix,
            method: method === "dpo" ? { type: "dpo", dpo: { hyperparameters } } : { type: "supervised", supervised: { hyperparameters } },
          },
          { headers: { "Idempotency-Key": `${runKey}-job-${method}` } },
        )
        .catch(fail("create the fine-tuning job"));
      return job.id;
    },
    async pollJob(jobId): Promise<JobStatus> {
      const job = await client.fineTuning.jobs.retrieve(jobId).catch(fail("read the job"));
      const events = await client.fineTuning.jobs.listEvents(jobId, { limit: 100 }).catch(fail("read the job's events"));
      const status = job.status === "validating_files" ? "queued" : job.status;
      return {
        status,
        fineTunedModel: job.fine_tuned_model,
        error: job.error?.message ?? null,
        events: events.data
          .map((e) => ({ createdAt: new Date(e.created_at * 1000).toISOString(), level: LEVEL[e.level] ?? "info", message: e.message }))
          .reverse(),
      };
    },
    async cancelJob(jobId) {
      await client.fineTuning.jobs.cancel(jobId).catch(fail("cancel the job"));
    },
  };
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "the configured endpoint";
  }
}

// OpenAI's wind-down: organisations without fine-tuning history (since 2026-05-07), then everyone
// (from 2027-01-06), are refused job creation. Its wording varies; these are the words it uses.
const REFUSED_ORGANISATION = /fine[- ]?tun\w*.*(not (available|allowed|permitted|enabled)|no longer|deprecat|disabled|not eligible)|(not (available|allowed|eligible)|no longer).*fine[- ]?tun/i;

/**
 * A provider error in words a manager can act on. The provider's own text is shown only for the
 * refused-organisation case (matched, not echoed) and for 4xx validation errors, which describe
 * our file or parameters, never customer text.
 */
export function toTargetError(error: unknown, { name, label, host, step }: { name: string; label: string; host: string; step: string }): unknown {
  if (error instanceof UserError) return error;
  const make = (code: string, message: string, status = 502) => new UserError({ code, status, message });
  // files.waitForProcessing gives up with an APIConnectionTimeoutError of its own.
  if (error instanceof Error && /Giving up on waiting/i.test(error.message)) {
    return make("fine_tune_file_timeout", `${label} did not finish processing the uploaded file in time. Retry: the file is kept and not uploaded again.`, 504);
  }
  if (error instanceof OpenAI.APIError) {
    const message = typeof error.message === "string" ? error.message : "";
    if ((error.status === 403 || error.status === 400) && REFUSED_ORGANISATION.test(message)) {
      return make(
        "fine_tune_refused_organisation",
        `This ${label} organisation can no longer create fine-tuning jobs: choose another target (FINE_TUNE_TARGET=together, fireworks, azure, local or manual).`,
        409,
      );
    }
    if (error.status === 401) return make("fine_tune_unauthorized", `${label} (${host}) refused the API key (401) when asked to ${step}. Check the key in the ${name} recipe of the README.`);
    if (error.status === 403) return make("fine_tune_forbidden", `${label} (${host}) does not let this key ${step} (403). Check the key's project and its fine-tuning permission.`);
    if (error.status === 404) return make("fine_tune_not_found", `${label} (${host}) has nothing at that address when asked to ${step} (404). Check the endpoint (it usually ends in /v1) and the base model.`);
    if (error.status === 429) return make("fine_tune_rate_limited", `${label} (${host}) is rate-limiting requests (429) when asked to ${step}. The next retry resumes from here.`, 503);
    if (typeof error.status === "number" && error.status >= 500) return make("fine_tune_provider_failed", `${label} (${host}) failed with status ${error.status} when asked to ${step}. Retry later: what was uploaded is kept.`);
    if (error instanceof OpenAI.APIConnectionError) return make("fine_tune_unreachable", `Could not reach ${label} at ${host} to ${step}. Check the endpoint and the network; a retry resumes from here.`);
    if (typeof error.status === "number") {
      const detail = [error.code && `code ${error.code}`, error.param && `parameter ${error.param}`].filter(Boolean).join(", ");
      return make("fine_tune_refused", `${label} refused the request to ${step} (${error.status}${detail ? `, ${detail}` : ""}): ${message.slice(0, 300)}`);
    }
  }
  return error;
}
