import "server-only";
import { readAiConfig, type OpenAIConfig } from "@/lib/ai/read-ai-config";
import { readEnv, type Env } from "@/lib/env";

export type EmbeddingsConfig = {
  /** The endpoint, key and retries of the OpenAI settings, with the embeddings' own timeout. */
  openai: OpenAIConfig;
  model: string;
  /** Sent as `dimensions` when set. */
  dimensions: number | undefined;
  /** Cosine that scores 0.5 (see cosineScore). */
  minSimilarity: number;
  batchSize: number;
};

/**
 * Embeddings are used when a provider is configured (EMBEDDINGS=auto follows AI_PROVIDER; on needs
 * only OPENAI_API_KEY or OPENAI_BASE_URL, so replies can stay local while a local server embeds);
 * null: offline matching only.
 */
export function readEmbeddingsConfig(env: Env = readEnv()): EmbeddingsConfig | null {
  if (env.EMBEDDINGS === "off") return null;
  const configured = Boolean(env.OPENAI_API_KEY || env.OPENAI_BASE_URL);
  if (env.EMBEDDINGS === "on" && !configured) {
    throw new Error("EMBEDDINGS=on needs OPENAI_API_KEY (or OPENAI_BASE_URL for a compatible server that needs no key).");
  }
  if (env.EMBEDDINGS === "auto" && !readAiConfig(env).openai) return null;
  return {
    openai: {
      apiKey: env.OPENAI_API_KEY ?? "no-key-needed",
      baseURL: env.OPENAI_BASE_URL,
      model: env.EMBEDDINGS_MODEL,
      analysisModel: env.EMBEDDINGS_MODEL,
      timeoutMs: env.EMBEDDINGS_TIMEOUT_MS,
      maxRetries: env.OPENAI_MAX_RETRIES,
    },
    model: env.EMBEDDINGS_MODEL,
    dimensions: env.EMBEDDINGS_DIMENSIONS,
    minSimilarity: env.EMBEDDINGS_MIN_SIMILARITY,
    batchSize: env.EMBEDDINGS_BATCH_SIZE,
  };
}

/**
 * A cosine as a meaning-engine score (0-1), so it can stand beside the offline score: the
 * calibrated cosine `minSimilarity` scores 0.5 (the default join score and AI_LOCAL_MIN_SIMILARITY),
 * 1 scores 1, linearly, and the same slope below (0 at 2·min − 1).
 */
export function cosineScore(cosine: number, minSimilarity: number): number {
  return Math.max(0, Math.min(1, 0.5 + (0.5 * (cosine - minSimilarity)) / (1 - minSimilarity)));
}
