import "server-only";
import { getPool } from "@/lib/db/client";
import { embedMessages } from "@/lib/meaning/embeddings/embed-messages";
import { readEmbeddingsConfig } from "@/lib/meaning/embeddings/read-embeddings-config";
import { MessageVectors } from "@/lib/meaning/embeddings/message-vectors";
import { loadMeaningIndex } from "@/lib/meaning/load-meaning-index";
import type { QuestionClusters } from "@/lib/meaning/question-clusters";

// The replays the next grouping batch will place (the same order as its own query), read without
// its lock or transaction: at worst a few are embedded that another process groups first.
const NEXT_BATCH_SQL = `
SELECT message FROM feedback_replay_log WHERE prompt_group_id IS NULL AND status = 'submitted'
ORDER BY created_at, id LIMIT $1`;

/**
 * Grouping's first step when embeddings are on: the vectors of the next `batchSize` pending
 * messages, fetched before the grouping transaction opens (never a provider call inside one), so
 * its synchronous decisions can use them (and the documents still without one are filled in, in
 * the background: the retry after an outage). Never throws: a failure leaves them to offline matching.
 */
export async function embedPendingReplays(batchSize: number): Promise<void> {
  try {
    if (!readEmbeddingsConfig()) return;
    const { rows } = await getPool().query<{ message: string }>(NEXT_BATCH_SQL, [batchSize]);
    const state = await loadMeaningIndex();
    await embedMessages(state.clusters, rows.map((r) => r.message));
  } catch (error) {
    console.error("[embeddings]", error instanceof Error ? error.message : error);
  }
}

/**
 * How many of `messages` (in order) the first step has fetched vectors for (or tried to): the
 * grouping places those, and leaves a replay stored since for its next round, where it gets its
 * vector first. All of them when embeddings are off.
 */
export function embeddedPrefix(clusters: QuestionClusters, messages: string[]): number {
  const vectors = clusters.hook;
  if (!(vectors instanceof MessageVectors)) return messages.length;
  const first = messages.findIndex((message) => message.trim().length > 0 && !vectors.fetched(message));
  return first < 0 ? messages.length : first;
}
