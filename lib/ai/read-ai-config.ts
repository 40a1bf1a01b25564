import "server-only";
import { readEnv, type Env } from "@/lib/env";

export type OpenAIConfig = {
  apiKey: string;
  baseURL: string | undefined;
  /** The model registered for replies when OpenAI is configured. */
  model: string;
  analysisModel: string;
  timeoutMs: number;
  maxRetries: number;
};

/** Where a fine-tuned model of each target answers: their OpenAI-compatible chat APIs (issue 13). */
export type ServedBy = "openai" | "together" | "fireworks" | "azure" | "openai-compatible";

export type AiConfig = {
  /** null: no provider may be called (AI_PROVIDER=local, or nothing configured). */
  openai: OpenAIConfig | null;
  /** The chat endpoints of the fine-tune targets whose keys are set; a promoted model of that target answers there. */
  serving?: Partial<Record<Exclude<ServedBy, "openai">, OpenAIConfig>>;
  localMinSimilarity: number;
  fewShotExamples: number;
};

/**
 * AI_PROVIDER=auto uses OpenAI (or a compatible server) when OPENAI_API_KEY or OPENAI_BASE_URL is
 * set, and the local retrieval model otherwise. Servers that need no key (Ollama, vLLM) get a
 * placeholder, because the SDK insists on one.
 */
export function readAiConfig(env: Env = readEnv()): AiConfig {
  const configured = Boolean(env.OPENAI_API_KEY || env.OPENAI_BASE_URL);
  if (env.AI_PROVIDER === "openai" && !configured) {
    throw new Error("AI_PROVIDER=openai needs OPENAI_API_KEY (or OPENAI_BASE_URL for a compatible server that needs no key).");
  }
  const useOpenAI = env.AI_PROVIDER === "openai" || (env.AI_PROVIDER === "auto" && configured);
  return {
    openai: useOpenAI
      ? {
          apiKey: env.OPENAI_API_KEY ?? "no-key-needed",
          baseURL: env.OPENAI_BASE_URL,
          model: env.OPENAI_MODEL,
          analysisModel: env.OPENAI_ANALYSIS_MODEL ?? env.OPENAI_MODEL,
          timeoutMs: env.OPENAI_TIMEOUT_MS,
          maxRetries: env.OPENAI_MAX_RETRIES,
        }
      : null,
    localMinSimilarity: env.AI_LOCAL_MIN_SIMILARITY,
    fewShotExamples: env.AI_FEW_SHOT_EXAMPLES,
    serving: env.AI_PROVIDER === "local" ? {} : readServing(env),
  };
}

function readServing(env: Env): NonNullable<AiConfig["serving"]> {
  const base = { timeoutMs: env.OPENAI_TIMEOUT_MS, maxRetries: env.OPENAI_MAX_RETRIES, model: env.OPENAI_MODEL, analysisModel: env.OPENAI_ANALYSIS_MODEL ?? env.OPENAI_MODEL };
  const serving: NonNullable<AiConfig["serving"]> = {};
  if (env.TOGETHER_API_KEY) serving.together = { ...base, apiKey: env.TOGETHER_API_KEY, baseURL: env.TOGETHER_API_BASE_URL };
  // Fireworks serves chat under /inference/v1 of the same host as its control plane.
  if (env.FIREWORKS_API_KEY) serving.fireworks = { ...base, apiKey: env.FIREWORKS_API_KEY, baseURL: new URL("/inference/v1", env.FIREWORKS_BASE_URL).toString() };
  // Azure's v1 API takes the OpenAI client as it is; the model is the deployment's name.
  if (env.AZURE_OPENAI_ENDPOINT && env.AZURE_OPENAI_API_KEY) serving.azure = { ...base, apiKey: env.AZURE_OPENAI_API_KEY, baseURL: new URL("/openai/v1", env.AZURE_OPENAI_ENDPOINT).toString() };
  if (env.FINE_TUNE_BASE_URL) serving["openai-compatible"] = { ...base, apiKey: env.FINE_TUNE_API_KEY ?? "no-key-needed", baseURL: env.FINE_TUNE_BASE_URL };
  return serving;
}

/** The chat endpoint a model version answers at, or null when it is not configured here. */
export function servingConfigFor(servedBy: ServedBy, config: AiConfig): OpenAIConfig | null {
  return servedBy === "openai" ? config.openai : (config.serving?.[servedBy] ?? null);
}

/** Where requests go, for messages and the models page: a host, never a key. */
export function describeEndpoint(config: OpenAIConfig): string {
  if (!config.baseURL) return "api.openai.com";
  try {
    return new URL(config.baseURL).host;
  } catch {
    return "the configured OPENAI_BASE_URL";
  }
}
