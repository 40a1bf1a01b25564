import "server-only";
import Together from "together-ai";
import type { OpenAIConfig } from "@/lib/ai/read-ai-config";
import { UserError } from "@/lib/errors";
import { MIN_EXAMPLES_BY_TARGET, type JobStatus, type RemoteTarget } from "@/lib/retrain/fine-tune-target";

const STATUS: Record<string, JobStatus["status"]> = {
  pending: "queued",
  queued: "queued",
  running: "running",
  compressing: "running",
  uploading: "running",
  cancel_requested: "running",
  cancelled: "cancelled",
  error: "failed",
  completed: "succeeded",
};

/**
 * Together AI through its official `together-ai` SDK: a file with purpose `fine-tune`, then
 * `POST /v1/fine-tunes` with `training_method` sft or dpo; its fine-tuned models answer on its
 * OpenAI-compatible chat API (`output_name`).
 *
 * The upload follows the SDK's own protocol (POST /files → 302 to a signed URL with the file id in
 * X-Together-File-Id → PUT the bytes) with our fetch: the SDK's `files.upload` takes a path and
 * sends a file stream without `duplex`, which Node 20's fetch refuses. The rest is the SDK's.
 */
export function createTogetherTarget({ apiKey, baseURL, serving, maxRetries = 2 }: { apiKey: string; baseURL: string; serving: OpenAIConfig | null; maxRetries?: number }): RemoteTarget {
  const client = new Together({ apiKey, baseURL, maxRetries });
  const host = new URL(baseURL).host;
  const fail = (step: string) => (error: unknown): never => {
    throw toTogetherError(error, host, step);
  };
  return {
    name: "together",
    label: "Together AI",
    methods: ["sft", "dpo"],
    minExamples: MIN_EXAMPLES_BY_TARGET.together,
    serving,
    async uploadFile({ content, filename }) {
      const params = new URLSearchParams({ file_name: filename, file_type: "jsonl", purpose: "fine-tune" });
      const start = await fetch(`${baseURL.replace(/\/$/, "")}/files?${params}`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Authorization: `Bearer ${apiKey}` },
        redirect: "manual",
        body: params.toString(),
      }).catch(fail("upload the dataset"));
      const location = start.headers.get("location");
      const fileId = start.headers.get("x-together-file-id");
      if (start.status === 401) throw new UserError({ code: "fine_tune_unauthorized", status: 502, message: `Together AI (${host}) refused TOGETHER_API_KEY (401).` });
      if (start.status !== 302 || !location || !fileId) {
        throw new UserError({ code: "fine_tune_upload_failed", status: 502, message: `Together AI (${host}) did not accept the upload (status ${start.status}). Retry later; nothing was trained.` });
      }
      const put = await fetch(location, { method: "PUT", headers: { "Content-Type": "application/octet-stream" }, body: new Uint8Array(content) }).catch(fail("upload the dataset"));
      if (put.status !== 200) {
        throw new UserError({ code: "fine_tune_upload_failed", status: 502, message: `Together AI's storage refused the dataset (status ${put.status}). Retry later; nothing was trained.` });
      }
      return fileId;
    },
    async waitForFile(fileId) {
      await client.files.retrieve(fileId).catch(fail("read the uploaded file"));
    },
    async createJob({ trainingFileId, validationFileId, baseModel, suffix, epochs, method }) {
      const job = await client.fineTuning
        .create({
          model: baseModel,
          training_file: trainingFileId,
          ...(validationFileId ? { validation_file: validationFileId, n_evals: 1 } : {}),
          suffix,
          ...(epochs === "auto" ? {} : { n_epochs: epochs }),
          training_method: method === "dpo" ? { method: "dpo" } : { method: "sft", train_on_inputs: "auto" },
        })
        .catch(fail("create the fine-tuning job"));
      return job.id;
    },
    async pollJob(jobId): Promise<JobStatus> {
      const job = await client.fineTuning.retrieve(jobId).catch(fail("read the job"));
      const events = await client.fineTuning.listEvents(jobId).catch(fail("read the job's events"));
      const status = STATUS[job.status] ?? "running";
      const errorEvent = events.data.findLast((e) => e.level === "error" || e.type === "job_error");
      return {
        status,
        fineTunedModel: status === "succeeded" ? (job.model_output_name ?? null) : null,
        error: status === "failed" ? (errorEvent?.message ?? "The job ended in error.") : null,
        events: events.data.map((e) => ({ createdAt: new Date(e.created_at).toISOString(), level: e.level === "error" ? "error" : e.level === "warning" ? "warning" : "info", message: e.message })),
      };
    },
    async cancelJob(jobId) {
      await client.fineTuning.cancel(jobId).catch(fail("cancel the job"));
    },
  };
}

function toTogetherError(error: unknown, host: string, step: string): unknown {
  if (error instanceof UserError) return error;
  const make = (code: string, message: string, status = 502) => new UserError({ code, status, message });
  if (error instanceof Together.APIError) {
    if (error.status === 401) return make("fine_tune_unauthorized", `Together AI (${host}) refused TOGETHER_API_KEY (401) when asked to ${step}.`);
    if (error.status === 402 || error.status === 403) return make("fine_tune_forbidden", `Together AI (${host}) does not let this account ${step} (${error.status}): check its billing and fine-tuning access.`);
    if (error.status === 404) return make("fine_tune_not_found", `Together AI (${host}) has nothing at that address when asked to ${step} (404). Check TOGETHER_API_BASE_URL and FINE_TUNE_BASE_MODEL.`);
    if (typeof error.status === "number" && error.status >= 500) return make("fine_tune_provider_failed", `Together AI failed with status ${error.status} when asked to ${step}. Retry later: what was uploaded is kept.`);
    if (typeof error.status === "number") return make("fine_tune_refused", `Together AI refused the request to ${step} (${error.status}): ${String(error.message).slice(0, 300)}`);
    return make("fine_tune_unreachable", `Could not reach Together AI at ${host} to ${step}; a retry resumes from here.`);
  }
  if (error instanceof TypeError) return make("fine_tune_unreachable", `Could not reach Together AI at ${host} to ${step}; a retry resumes from here.`);
  return error;
}
