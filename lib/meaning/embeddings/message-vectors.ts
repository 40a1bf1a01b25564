import { createHash } from "node:crypto";
import type { LabelMatch } from "@/lib/meaning/meaning-index";
import type { MatchHook } from "@/lib/meaning/question-clusters";
import { normalizeVector, VectorIndex } from "@/lib/meaning/embeddings/vector-index";

/** A label match that the embeddings scored: `cosine` of the label's nearest message. */
export type EmbeddedLabelMatch = LabelMatch & { cosine?: number };

/** What identifies a vector: the model, the size asked for (0: the model's own) and the text's SHA-256. */
export type EmbeddingSpace = { model: string; dimensions: number };

/**
 * How far the words may score above the embeddings when both can judge (the label's message has a
 * vector too): a synonym or typo the model missed still counts, a message that shares words with
 * a different question ("order", "account") does not join it.
 */
export const WORD_MARGIN = 0.25;

/** Vectors of texts that are not (yet) documents, kept for the match that follows their fetch. */
const RECENT_TEXTS = 4096;

export function hashText(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * The embedding side of one QuestionClusters (its `hook`): a vector per message document, the
 * documents still waiting for theirs (a new text, or one whose embedding failed: retried), and the
 * vectors fetched for texts about to be matched. Everything here is synchronous and in memory;
 * lib/meaning/embeddings/embed-messages.ts fetches vectors (cache, then provider) before a match.
 */
export class MessageVectors implements MatchHook {
  readonly index = new VectorIndex();
  /** Text hash → the waiting text and its documents. */
  readonly waiting = new Map<string, { text: string; docs: number[] }>();
  private recent = new Map<string, Float32Array>();
  /** Texts fetched for and not found (the provider failed): matched by words, retried as documents. */
  private tried = new Set<string>();
  private lastText = "";
  private lastHash = "";
  /** One fetch at a time per index (embed-messages.ts chains its work here). */
  tail: Promise<unknown> = Promise.resolve();
  draining: Promise<void> | null = null;

  constructor(
    readonly space: EmbeddingSpace,
    private readonly options: { score: (cosine: number) => number; labelOf: (doc: number) => number },
  ) {}

  hash(text: string): string {
    if (text !== this.lastText) {
      this.lastText = text;
      this.lastHash = hashText(text);
    }
    return this.lastHash;
  }

  /** Whether `hash` has a vector here (a document's, or a recent text's). */
  has(hash: string): boolean {
    return this.recent.has(hash) || this.index.vectorOf(hash) !== undefined;
  }

  /** Whether a fetch for `text` has finished: it has a vector, or the provider had none to give. */
  fetched(text: string): boolean {
    const hash = this.hash(text);
    return this.tried.has(hash) || this.has(hash);
  }

  /** `hash` was fetched for and has no vector (an outage): the match goes ahead by words. */
  markTried(hash: string) {
    if (this.tried.size >= RECENT_TEXTS) this.tried.clear();
    this.tried.add(hash);
  }

  /** A fetched vector: it fills the documents waiting for it, or is kept for the coming match. */
  put(hash: string, vector: Float32Array) {
    const unit = normalizeVector(vector);
    if (!unit) return;
    this.tried.delete(hash);
    const waiting = this.waiting.get(hash);
    if (waiting) {
      this.waiting.delete(hash);
      for (const doc of waiting.docs) this.index.add(doc, hash, unit);
      return;
    }
    this.recent.delete(hash);
    this.recent.set(hash, unit);
    if (this.recent.size > RECENT_TEXTS) this.recent.delete(this.recent.keys().next().value!);
  }

  added(doc: number, message: string): void {
    const hash = hashText(message);
    const vector = this.recent.get(hash) ?? this.index.vectorOf(hash);
    if (vector && this.index.add(doc, hash, vector)) return;
    const waiting = this.waiting.get(hash);
    if (waiting) waiting.docs.push(doc);
    else this.waiting.set(hash, { text: message, docs: [doc] });
  }

  /**
   * Labels of `message`'s nearest documents by cosine, each scoring cosineScore of its nearest
   * one. A label the words found keeps its word match (the shared words explain it), scoring the
   * embedding score or the word score, whichever is higher, but the words at most WORD_MARGIN
   * above the embeddings when its message has a vector. No vector for `message` (not fetched, or
   * the provider failed): `matches` as they are, offline.
   */
  rescore(message: string, matches: LabelMatch[], { limit, skip }: { limit: number; skip?: (id: number) => boolean }): LabelMatch[] {
    const hash = this.hash(message);
    const query = this.recent.get(hash) ?? this.index.vectorOf(hash);
    if (!query) return matches;
    const byLabel = new Map<number, EmbeddedLabelMatch>();
    for (const { doc, cosine } of this.index.nearest(query, { k: Math.max(16, limit * 4), skip })) {
      const label = this.options.labelOf(doc);
      if (label >= 0 && !byLabel.has(label)) byLabel.set(label, { label, score: this.options.score(cosine), queryCoverage: 0, docCoverage: 0, bestId: doc, shared: [], cosine });
    }
    for (const words of matches) {
      const near = byLabel.get(words.label);
      // Not among the nearest: its closest message by words tells how far it is (no vector: the words alone).
      const cosine = near?.cosine ?? this.index.cosineOf(words.bestId, query);
      const semantic = cosine === undefined ? undefined : this.options.score(cosine);
      const score = semantic === undefined ? words.score : Math.max(semantic, Math.min(words.score, semantic + WORD_MARGIN));
      byLabel.set(words.label, { ...words, score, cosine });
    }
    for (const [label, match] of byLabel) if (match.score <= 0) byLabel.delete(label);
    return [...byLabel.values()].sort((a, b) => b.score - a.score || a.label - b.label).slice(0, limit);
  }
}
