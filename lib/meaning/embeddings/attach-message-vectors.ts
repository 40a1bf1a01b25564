import "server-only";
import { MessageVectors } from "@/lib/meaning/embeddings/message-vectors";
import { cosineScore, readEmbeddingsConfig } from "@/lib/meaning/embeddings/read-embeddings-config";
import type { QuestionClusters } from "@/lib/meaning/question-clusters";

/**
 * Gives `clusters` the embeddings' second opinion when they are configured (the live index of
 * load-meaning-index, a regroup's own index); else leaves it offline. Returns whether it did.
 */
export function attachMessageVectors(clusters: QuestionClusters): boolean {
  const config = readEmbeddingsConfig();
  if (!config) return false;
  clusters.hook = new MessageVectors(
    { model: config.model, dimensions: config.dimensions ?? 0 },
    { score: (cosine) => cosineScore(cosine, config.minSimilarity), labelOf: (doc) => clusters.messages.labelOf(doc) },
  );
  return true;
}
