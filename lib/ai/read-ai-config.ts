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

export type AiConfig = {
  /** null: no provider may be called (AI_PROVIDER=local, or nothing configured). */
  openai: OpenAIConfig | null;
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
  };
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
