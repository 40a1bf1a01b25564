import type { OpenAIConfig } from "@/lib/ai/read-ai-config";

/** Every place a weekly dataset can go (FINE_TUNE_TARGET). */
export type TargetName = "together" | "fireworks" | "azure" | "openai" | "openai-compatible" | "local" | "manual";
/** The same names as a list, in the order the retrain page offers them. */
export const TARGET_NAMES = ["together", "fireworks", "azure", "openai", "openai-compatible", "local", "manual"] as const satisfies readonly TargetName[];
export type FineTuneMethod = "sft" | "dpo";
/** What a week trains: one method, or SFT and then DPO on the SFT model. */
export type RunMethod = FineTuneMethod | "sft-dpo";

export type JobStatus = {
  status: "queued" | "running" | "succeeded" | "failed" | "cancelled";
  fineTunedModel: string | null;
  /** The provider's reason for a failed job, as it reported it (shown to the manager as its text). */
  error: string | null;
  events: { createdAt: string; level: "info" | "warning" | "error"; message: string }[];
};

/**
 * A provider that trains: upload a file, start a job, poll it, cancel it. Each step is one call,
 * so the run saves the provider's id after each one and a retry resumes without a second upload.
 * Errors come out as UserError with a message a manager can act on.
 */
export type RemoteTarget = {
  name: Exclude<TargetName, "local" | "manual">;
  label: string;
  methods: FineTuneMethod[];
  /** The fewest examples the provider accepts in a training file. */
  minExamples: number;
  uploadFile(input: { content: Buffer; filename: string; runKey: string; method: FineTuneMethod; examples: number }): Promise<string>;
  /** Resolves once an uploaded file can be trained on (processed / READY). */
  waitForFile(fileId: string): Promise<void>;
  createJob(input: {
    trainingFileId: string;
    validationFileId: string | null;
    baseModel: string;
    suffix: string;
    epochs: number | "auto";
    method: FineTuneMethod;
    runKey: string;
  }): Promise<string>;
  pollJob(jobId: string): Promise<JobStatus>;
  cancelJob(jobId: string): Promise<void>;
  /** The chat API that serves its fine-tuned models (model_versions.provider = name); null when not configured. */
  serving: OpenAIConfig | null;
};

/** Minimum training examples per target (the providers' documented limits; local and manual: ours). */
export const MIN_EXAMPLES_BY_TARGET: Record<TargetName, number> = {
  openai: 10,
  azure: 10,
  "openai-compatible": 10,
  fireworks: 3,
  together: 1,
  local: 10,
  manual: 1,
};

/** Which methods each target trains, and what it trains when FINE_TUNE_METHOD is unset. */
export const METHODS_BY_TARGET: Record<TargetName, { allowed: RunMethod[]; default: RunMethod }> = {
  together: { allowed: ["sft", "dpo", "sft-dpo"], default: "sft-dpo" },
  fireworks: { allowed: ["sft", "dpo", "sft-dpo"], default: "sft" },
  azure: { allowed: ["sft", "dpo", "sft-dpo"], default: "sft" },
  openai: { allowed: ["sft", "dpo", "sft-dpo"], default: "sft" },
  "openai-compatible": { allowed: ["sft", "dpo", "sft-dpo"], default: "sft" },
  // The local target learns the agents' replies per question: supervised only.
  local: { allowed: ["sft"], default: "sft" },
  manual: { allowed: ["sft", "dpo"], default: "sft" },
};

export const TARGET_LABELS: Record<TargetName, string> = {
  together: "Together AI",
  fireworks: "Fireworks AI",
  azure: "Azure OpenAI",
  openai: "OpenAI",
  "openai-compatible": "OpenAI-compatible server",
  local: "Local learned model",
  manual: "Hold for download",
};

/** How the retrain page names each training method. */
export const METHOD_LABELS: Record<RunMethod, string> = {
  sft: "SFT (the agents' replies)",
  dpo: "DPO (agent reply preferred over the AI's)",
  "sft-dpo": "SFT, then DPO on it",
};
