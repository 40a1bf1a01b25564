import "server-only";
import { fetchEmbeddings, inEmbeddingOutage } from "@/lib/meaning/embeddings/fetch-embeddings";
import { readCachedEmbeddings, writeCachedEmbeddings } from "@/lib/meaning/embeddings/message-embedding-cache";
import { MessageVectors } from "@/lib/meaning/embeddings/message-vectors";
import { readEmbeddingsConfig } from "@/lib/meaning/embeddings/read-embeddings-config";
import type { QuestionClusters } from "@/lib/meaning/question-clusters";

/** The provider reads this much of a message (its limit is 8,192 tokens); the hash is of the whole text. */
const MAX_CHARACTERS = 8_000;
/** Waiting documents looked up in the cache per step of the background fill. */
const DRAIN_STEP = 1_000;

const running = new Set<Promise<void>>();

/** Runs `work` after the fetches already queued on `vectors`: one at a time, so a text is fetched once per process. */
function enqueue(vectors: MessageVectors, work: () => Promise<void>): Promise<void> {
  const next = vectors.tail.then(work).catch((error: unknown) => {
    // A database failure here only means matching by words for now; the texts stay missing.
    console.error("[embeddings]", error instanceof Error ? error.message : error);
  });
  vectors.tail = next;
  return next;
}

/** Vectors for `texts` (text hash → text), from the cache, else (at most `providerLimit` of them) from the provider. */
async function resolve(vectors: MessageVectors, wanted: Map<string, string>, providerLimit: number) {
  const config = readEmbeddingsConfig();
  if (!config || wanted.size === 0) return;
  for (const [hash, vector] of await readCachedEmbeddings(vectors.space, [...wanted.keys()])) {
    vectors.put(hash, vector);
    wanted.delete(hash);
  }
  const missing = [...wanted].slice(0, providerLimit);
  if (missing.length === 0 || inEmbeddingOutage()) return;
  await fetchEmbeddings(
    config,
    missing.map(([, text]) => text.slice(0, MAX_CHARACTERS)),
    async (at, fetched) => {
      const byHash = new Map(fetched.map((vector, i) => [missing[at + i]![0], vector]));
      await writeCachedEmbeddings(vectors.space, byHash);
      for (const [hash, vector] of byHash) vectors.put(hash, vector);
    },
  );
}

/**
 * Fills in, in the background, the vectors of documents that have none yet: loaded from storage
 * (the cache, after a restart or another process's grouping) or never embedded (the provider was
 * down: this is the retry). A step at a time on the fetch queue, so a match waits for one step at
 * most; stops when nothing is left, during an outage, or when a step makes no progress.
 */
function drain(vectors: MessageVectors) {
  if (vectors.draining || vectors.waiting.size === 0) return;
  const work = (async () => {
    for (;;) {
      const before = vectors.waiting.size;
      if (before === 0 || inEmbeddingOutage()) return;
      const batchSize = readEmbeddingsConfig()?.batchSize ?? 0;
      await enqueue(vectors, async () => {
        const step = new Map<string, string>();
        for (const [hash, { text }] of vectors.waiting) {
          step.set(hash, text);
          if (step.size >= DRAIN_STEP) break;
        }
        await resolve(vectors, step, batchSize);
      });
      if (vectors.waiting.size >= before) return;
    }
  })().finally(() => {
    vectors.draining = null;
    running.delete(work);
  });
  vectors.draining = work;
  running.add(work);
}

/**
 * Makes sure the vectors of `texts` are in memory before a synchronous match (grouping, a
 * suggestion's corrections): from the message_embeddings cache, else from the provider, each
 * distinct text fetched once and stored; documents still missing one are filled in afterwards in
 * the background. Never throws and never runs inside a transaction: with no provider, a database
 * error or an outage, the texts simply have no vector and are matched by their words.
 */
export async function embedMessages(clusters: QuestionClusters, texts: string[]): Promise<void> {
  const vectors = clusters.hook;
  if (!(vectors instanceof MessageVectors)) return;
  const wanted = new Map<string, string>();
  for (const text of texts) {
    if (text.trim().length === 0) continue;
    const hash = vectors.hash(text);
    if (!vectors.has(hash)) wanted.set(hash, text);
  }
  if (wanted.size > 0) {
    const hashes = [...wanted.keys()];
    await enqueue(vectors, () => resolve(vectors, wanted, Infinity));
    for (const hash of hashes) if (!vectors.has(hash)) vectors.markTried(hash);
  }
  drain(vectors);
}

/** Resolves when every background fill of this process has stopped (tests, benchmarks). */
export async function embeddingsSettled(): Promise<void> {
  while (running.size > 0) await Promise.all(running);
}
