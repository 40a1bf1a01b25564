import { analyzeText, type AnalyzedText } from "@/lib/meaning/analyze-text";

/**
 * What the local retrain learns: a softmax (multinomial logistic) regression from a customer
 * message to the question it asks, over the meaning engine's features (each word's stem and its
 * WordNet concepts, lib/meaning/), trained on the week's approved dataset. Where the same-day
 * retrieval weighs every word by how rare it is, the classifier learns which words and concepts
 * tell the questions apart: "box" says nothing about a damaged item when every question's
 * customers mention it, and "money" says refund once agents answered "money back" with the
 * refund answer. One extra class, "other", is learned from the rest of the traffic, so a message
 * that is none of the questions says so instead of borrowing the closest answer.
 *
 * Pure and synchronous: training and prediction take arrays and return numbers (tests, bench).
 */
export const CLASSIFIER_KIND = "meaning-softmax";
export const CLASSIFIER_FORMAT = 1;

export type ClassifierParams = {
  /** Feature keys (stems "s:…", concepts as lib/meaning/ names them), index = column. */
  features: string[];
  /** Inverse document frequency of each feature over the training messages. */
  idf: number[];
  /** Question classes, "other" last (answer null). */
  classes: { groupId: string | null; answer: string | null; examples: number }[];
  /** Words of the training messages and how often (spelling mends toward them). */
  words: Record<string, number>;
};

export type Classifier = { params: ClassifierParams; weights: Float32Array };

export type TrainingMessage = { text: string; label: number };

/** Messages a word or feature must appear in to be learned. */
const MIN_SHARED = 2;
const EPOCHS = 40;
const LEARNING_RATE = 0.5;
const L2 = 1e-4;

type Sparse = { index: Int32Array; value: Float32Array };

function featuresOf(words: AnalyzedText): Map<string, number> {
  const out = new Map<string, number>();
  for (const w of words) {
    out.set(`s:${w.stem}`, Math.max(out.get(`s:${w.stem}`) ?? 0, 1));
    for (const [concept, weight] of w.concepts) out.set(concept, Math.max(out.get(concept) ?? 0, weight));
  }
  return out;
}

function vocabularyOf(words: Record<string, number>) {
  return { count: (word: string) => words[word] ?? 0 };
}

function toSparse(features: Map<string, number>, columns: Map<string, number>, idf: number[]): Sparse {
  const index: number[] = [];
  const value: number[] = [];
  let norm = 0;
  for (const [key, weight] of features) {
    const column = columns.get(key);
    if (column === undefined) continue;
    const v = weight * idf[column]!;
    index.push(column);
    value.push(v);
    norm += v * v;
  }
  norm = Math.sqrt(norm) || 1;
  return { index: Int32Array.from(index), value: Float32Array.from(value, (v) => v / norm) };
}

/** A deterministic shuffle (the same data trains the same model). */
function shuffled(length: number, seed: number): number[] {
  const order = Array.from({ length }, (_, i) => i);
  let state = seed >>> 0 || 1;
  for (let i = length - 1; i > 0; i--) {
    state = (state * 1664525 + 1013904223) >>> 0;
    const j = state % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

function softmax(scores: Float64Array): void {
  let max = -Infinity;
  for (const s of scores) max = Math.max(max, s);
  let sum = 0;
  for (let k = 0; k < scores.length; k++) sum += scores[k] = Math.exp(scores[k]! - max);
  for (let k = 0; k < scores.length; k++) scores[k]! /= sum;
}

/**
 * Trains on `messages` (label = index into `classes`). Classes are balanced: each example counts
 * inversely to its class's size, so a question taught six times is not drowned by the "other"
 * traffic.
 */
export function trainClassifier(messages: TrainingMessage[], classes: ClassifierParams["classes"]): Classifier {
  const words: Record<string, number> = {};
  for (const m of messages) for (const token of m.text.toLowerCase().match(/[a-z]+/g) ?? []) words[token] = (words[token] ?? 0) + 1;
  // Only what several messages share is kept: a customer's name or a one-off detail never
  // becomes part of the model (it is stored, and customer text is personal data).
  for (const [word, count] of Object.entries(words)) if (count < MIN_SHARED) delete words[word];
  const vocabulary = vocabularyOf(words);
  const analysed = messages.map((m) => featuresOf(analyzeText(m.text, vocabulary)));
  const df = new Map<string, number>();
  for (const f of analysed) for (const key of f.keys()) df.set(key, (df.get(key) ?? 0) + 1);
  const features = [...df.keys()].filter((key) => df.get(key)! >= MIN_SHARED).sort();
  const columns = new Map(features.map((key, i) => [key, i]));
  const idf = features.map((key) => Math.log((messages.length + 1) / (df.get(key)! + 0.5)) + 1);
  const rows = analysed.map((f) => toSparse(f, columns, idf));
  const K = classes.length;
  const F = features.length + 1; // + bias
  const weights = new Float32Array(K * F);
  const sizes = new Array<number>(K).fill(0);
  for (const m of messages) sizes[m.label]!++;
  const balance = sizes.map((n) => (n > 0 ? messages.length / (K * n) : 0));
  const scores = new Float64Array(K);
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    const rate = LEARNING_RATE / (1 + epoch * 0.1);
    for (const i of shuffled(rows.length, epoch + 1)) {
      const { index, value } = rows[i]!;
      const label = messages[i]!.label;
      for (let k = 0; k < K; k++) {
        let s = weights[k * F + F - 1]!;
        for (let j = 0; j < index.length; j++) s += weights[k * F + index[j]!]! * value[j]!;
        scores[k] = s;
      }
      softmax(scores);
      const scale = rate * balance[label]!;
      for (let k = 0; k < K; k++) {
        const gradient = scores[k]! - (k === label ? 1 : 0);
        if (gradient === 0) continue;
        const base = k * F;
        for (let j = 0; j < index.length; j++) {
          const c = base + index[j]!;
          weights[c] = weights[c]! - scale * (gradient * value[j]! + L2 * weights[c]!);
        }
        weights[base + F - 1] = weights[base + F - 1]! - scale * gradient;
      }
    }
  }
  return { params: { features, idf, classes, words }, weights };
}

/** Class probabilities for `text`, best first. */
export function predictClass(classifier: Classifier, text: string, columns = columnsOf(classifier)): { label: number; probability: number }[] {
  const { params, weights } = classifier;
  const K = params.classes.length;
  const F = params.features.length + 1;
  const { index, value } = toSparse(featuresOf(analyzeText(text, vocabularyOf(params.words))), columns, params.idf);
  const scores = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    let s = weights[k * F + F - 1]!;
    for (let j = 0; j < index.length; j++) s += weights[k * F + index[j]!]! * value[j]!;
    scores[k] = s;
  }
  // A message with no known feature is nobody's question.
  if (index.length === 0) return [{ label: K - 1, probability: 1 }];
  softmax(scores);
  return [...scores].map((probability, label) => ({ label, probability })).sort((a, b) => b.probability - a.probability);
}

const columnCache = new WeakMap<Classifier, Map<string, number>>();

export function columnsOf(classifier: Classifier): Map<string, number> {
  let columns = columnCache.get(classifier);
  if (!columns) columnCache.set(classifier, (columns = new Map(classifier.params.features.map((key, i) => [key, i]))));
  return columns;
}

export function encodeWeights(weights: Float32Array): string {
  return Buffer.from(weights.buffer, weights.byteOffset, weights.byteLength).toString("base64");
}

export function decodeWeights(encoded: string): Float32Array {
  const bytes = Buffer.from(encoded, "base64");
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}
