import "server-only";
import { createEmbeddings } from "@/lib/ai/openai-provider";
import { UserError } from "@/lib/errors";
import type { EmbeddingsConfig } from "@/lib/meaning/embeddings/read-embeddings-config";

/** After a failure the provider is left alone this long: matching is offline meanwhile. */
const OUTAGE_MS = 30_000;

const holder = globalThis as unknown as { __feedbackReplayEmbeddingsOutage?: { until: number } };
const outage = (holder.__feedbackReplayEmbeddingsOutage ??= { until: 0 });

/** Whether a recent failure holds provider calls back. */
export function inEmbeddingOutage(): boolean {
  return Date.now() < outage.until;
}

/** Ends the pause after a failure (tests: the fake provider is back at once). */
export function resetEmbeddingOutage(): void {
  outage.until = 0;
}

/**
 * Embeds `texts` (distinct) with the provider, `config.batchSize` to a request, one request after
 * another, handing each batch's vectors (and its offset in `texts`) to `onBatch`, up to the first
 * failure: that one is logged (status and endpoint, never the text), starts the pause, and leaves
 * the rest for a later retry.
 */
export async function fetchEmbeddings(config: EmbeddingsConfig, texts: string[], onBatch: (at: number, vectors: Float32Array[]) => Promise<void>): Promise<void> {
  for (let at = 0; at < texts.length; at += config.batchSize) {
    if (inEmbeddingOutage()) return;
    const input = texts.slice(at, at + config.batchSize);
    let vectors: Float32Array[];
    try {
      vectors = await createEmbeddings({ config: config.openai, model: config.model, input, dimensions: config.dimensions });
    } catch (error) {
      outage.until = Date.now() + OUTAGE_MS;
      // The provider errors' words (lib/ai/openai-provider.ts) name the chat settings; these are the embeddings'.
      const why = error instanceof UserError ? error.message.replace("OPENAI_TIMEOUT_MS", "EMBEDDINGS_TIMEOUT_MS") : error instanceof Error ? error.name : "unknown error";
      console.warn(`[embeddings] ${config.model}: ${why} Matching offline; ${texts.length - at} texts retried later.`);
      return;
    }
    await onBatch(at, vectors);
  }
}
