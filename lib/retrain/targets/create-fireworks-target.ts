import "server-only";
import { createHash } from "node:crypto";
import type { OpenAIConfig } from "@/lib/ai/read-ai-config";
import { UserError } from "@/lib/errors";
import { MIN_EXAMPLES_BY_TARGET, type JobStatus, type RemoteTarget } from "@/lib/retrain/fine-tune-target";

const STATE: Record<string, JobStatus["status"]> = {
  JOB_STATE_CREATING: "queued",
  JOB_STATE_PENDING: "queued",
  JOB_STATE_VALIDATING: "queued",
  JOB_STATE_RUNNING: "running",
  JOB_STATE_WRITING_RESULTS: "running",
  JOB_STATE_COMPLETED: "succeeded",
  JOB_STATE_FAILED: "failed",
  JOB_STATE_EXPIRED: "failed",
  JOB_STATE_CANCELLED: "cancelled",
  JOB_STATE_DELETING: "cancelled",
};

/**
 * Fireworks AI's REST API (it has no official Node SDK for fine-tuning): a dataset record
 * (`POST /v1/accounts/{a}/datasets`), its file (`…/datasets/{id}:upload`, multipart), READY, then
 * a supervised fine-tuning job (`…/supervisedFineTuningJobs`) or a DPO job (`…/dpoJobs`). Ids are
 * ours (the dataset id and job id are derived from the run), so a retried create finds the
 * first one (409 = it exists) instead of making a second. Its models answer on
 * `/inference/v1/chat/completions` as `accounts/{a}/models/{outputModel}`.
 */
export function createFireworksTarget({ apiKey, accountId, baseURL, serving, filePollMs = 5_000 }: { apiKey: string; accountId: string; baseURL: string; serving: OpenAIConfig | null; filePollMs?: number }): RemoteTarget {
  const root = `${baseURL.replace(/\/$/, "")}/v1/accounts/${accountId}`;
  const host = new URL(baseURL).host;
  async function call(step: string, path: string, init: RequestInit & { okStatuses?: number[] } = {}): Promise<Record<string, unknown>> {
    let response: Response;
    try {
      response = await fetch(`${root}${path}`, { ...init, headers: { Authorization: `Bearer ${apiKey}`, ...(init.body && typeof init.body === "string" ? { "Content-Type": "application/json" } : {}), ...init.headers } });
    } catch {
      throw new UserError({ code: "fine_tune_unreachable", status: 502, message: `Could not reach Fireworks AI at ${host} to ${step}; a retry resumes from here.` });
    }
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (response.ok || init.okStatuses?.includes(response.status)) return { ...body, httpStatus: response.status };
    const detail = typeof body.error === "object" && body.error ? String((body.error as { message?: unknown }).message ?? "") : typeof body.message === "string" ? body.message : "";
    const make = (code: string, message: string) => new UserError({ code, status: 502, message });
    if (response.status === 401) throw make("fine_tune_unauthorized", `Fireworks AI (${host}) refused FIREWORKS_API_KEY (401) when asked to ${step}.`);
    if (response.status === 403) throw make("fine_tune_forbidden", `Fireworks AI does not let this key ${step} in account ${accountId} (403). Check FIREWORKS_ACCOUNT_ID and the key's permissions.`);
    if (response.status === 404) throw make("fine_tune_not_found", `Fireworks AI has nothing at that address when asked to ${step} (404). Check FIREWORKS_ACCOUNT_ID and FINE_TUNE_BASE_MODEL.`);
    if (response.status >= 500) throw make("fine_tune_provider_failed", `Fireworks AI failed with status ${response.status} when asked to ${step}. Retry later: what was uploaded is kept.`);
    throw make("fine_tune_refused", `Fireworks AI refused the request to ${step} (${response.status}): ${detail.slice(0, 300)}`);
  }
  const jobPath = (jobId: string) => (jobId.startsWith("dpo:") ? `/dpoJobs/${jobId.slice(4)}` : `/supervisedFineTuningJobs/${jobId}`);
  return {
    name: "fireworks",
    label: "Fireworks AI",
    methods: ["sft", "dpo"],
    minExamples: MIN_EXAMPLES_BY_TARGET.fireworks,
    serving,
    async uploadFile({ content, filename, runKey, examples }) {
      const datasetId = toResourceId(`${shortHash(runKey)}-${filename.replace(/\.jsonl$/, "")}`);
      // 409: an earlier attempt made the record; its upload is repeated (the same bytes).
      await call("create the dataset", "/datasets", { method: "POST", body: JSON.stringify({ datasetId, dataset: { userUploaded: {}, exampleCount: String(examples) } }), okStatuses: [409] });
      const form = new FormData();
      form.append("file", new Blob([new Uint8Array(content)], { type: "application/jsonl" }), filename);
      await call("upload the dataset", `/datasets/${datasetId}:upload`, { method: "POST", body: form });
      return datasetId;
    },
    async waitForFile(datasetId) {
      for (let waited = 0; ; waited += filePollMs) {
        const dataset = await call("read the dataset", `/datasets/${datasetId}`);
        if (dataset.state === "READY") return;
        if (dataset.state === "FAILED" || waited > 30 * 60_000) {
          throw new UserError({ code: "fine_tune_file_failed", status: 502, message: `Fireworks AI did not accept dataset ${datasetId} (state ${String(dataset.state)}).` });
        }
        await new Promise((r) => setTimeout(r, filePollMs));
      }
    },
    async createJob({ trainingFileId, validationFileId, baseModel, suffix, epochs, method, runKey }) {
      const jobId = toResourceId(`${shortHash(runKey)}-${method}`);
      const outputModel = toResourceId(suffix);
      const dataset = `accounts/${accountId}/datasets/${trainingFileId}`;
      const evaluationDataset = validationFileId ? `accounts/${accountId}/datasets/${validationFileId}` : undefined;
      const epochsField = epochs === "auto" ? {} : { epochs };
      if (method === "dpo") {
        await call("create the DPO job", `/dpoJobs?dpoJobId=${jobId}`, {
          method: "POST",
          body: JSON.stringify({ dataset, evaluationDataset, trainingConfig: { baseModel, outputModel, ...epochsField } }),
          okStatuses: [409],
        });
        return `dpo:${jobId}`;
      }
      await call("create the fine-tuning job", `/supervisedFineTuningJobs?supervisedFineTuningJobId=${jobId}`, {
        method: "POST",
        body: JSON.stringify({ dataset, evaluationDataset, baseModel, outputModel, ...epochsField }),
        okStatuses: [409],
      });
      return jobId;
    },
    async pollJob(jobId): Promise<JobStatus> {
      const job = await call("read the job", jobPath(jobId));
      const status = STATE[String(job.state)] ?? "running";
      const output = (job.outputModel ?? (job.trainingConfig as { outputModel?: string } | undefined)?.outputModel) as string | undefined;
      const message = (job.status as { message?: string } | undefined)?.message;
      const model = output ? (output.startsWith("accounts/") ? output : `accounts/${accountId}/models/${output}`) : null;
      return {
        status,
        fineTunedModel: status === "succeeded" ? model : null,
        error: status === "failed" ? message || "The job failed." : null,
        events: [{ createdAt: String(job.updateTime ?? job.createTime ?? new Date().toISOString()), level: status === "failed" ? "error" : "info", message: `Job ${String(job.state)}${message ? `: ${message}` : ""}` }],
      };
    },
    async cancelJob(jobId) {
      // Fireworks stops a job by deleting it.
      await call("cancel the job", jobPath(jobId), { method: "DELETE", okStatuses: [404] });
    },
  };
}

/** Ids stay within 63 characters without cutting off what tells them apart. */
function shortHash(text: string): string {
  return createHash("md5").update(text).digest("hex").slice(0, 16);
}

/** Fireworks resource ids: lower-case letters, digits and hyphens, at most 63. */
function toResourceId(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 63);
}
