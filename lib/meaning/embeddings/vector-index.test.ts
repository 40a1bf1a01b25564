import { describe, expect, it } from "vitest";
import { DEFAULT_CLUSTER_SETTINGS, QuestionClusters } from "@/lib/meaning/question-clusters";
import { MessageVectors, WORD_MARGIN } from "@/lib/meaning/embeddings/message-vectors";
import { cosineScore } from "@/lib/meaning/embeddings/read-embeddings-config";
import { FAST_PATH_ROWS, normalizeVector, VectorIndex } from "@/lib/meaning/embeddings/vector-index";

let seed = 7;
const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296) - 0.5;
const unit = (d: number) => normalizeVector(Float32Array.from({ length: d }, random))!;
const near = (v: Float32Array, noise: number) => normalizeVector(Float32Array.from(v, (x) => x + noise * random() * 0.2))!;

describe("VectorIndex", () => {
  it("finds the nearest documents, the same on the fast path as by scanning every row", () => {
    const d = 384;
    const questions = Array.from({ length: 300 }, () => unit(d));
    const index = new VectorIndex();
    const rows = FAST_PATH_ROWS * 3;
    for (let doc = 0; doc < rows; doc++) index.add(doc, `h${doc}`, near(questions[doc % 300]!, 1));
    expect(index.rows).toBeGreaterThan(FAST_PATH_ROWS);
    for (let q = 0; q < 20; q++) {
      const found = index.nearest(near(questions[q]!, 1), { k: 5 });
      expect(found).toHaveLength(5);
      expect(found.every((n) => n.doc % 300 === q)).toBe(true);
      expect(found[0]!.cosine).toBeGreaterThan(found[4]!.cosine - 1e-6);
    }
    expect(index.nearest(questions[3]!, { k: 3, skip: (doc) => doc % 300 === 3 }).some((n) => n.doc % 300 === 3)).toBe(false);
    expect(index.add(rows, "other size", unit(10))).toBe(false);
    const stored = index.vectorOf("h7")!;
    expect(stored.reduce((sum, x, i) => sum + x * index.vectorOf("h7")![i]!, 0)).toBeCloseTo(1, 2);
  });
});

describe("MessageVectors (the clusters' hook)", () => {
  const score = (cosine: number) => cosineScore(cosine, 0.6);

  it("raises a label to the calibrated cosine, adds labels no word reaches, and leaves a text without a vector to its words", () => {
    const clusters = new QuestionClusters(DEFAULT_CLUSTER_SETTINGS);
    const vectors = new MessageVectors({ model: "m", dimensions: 0 }, { score, labelOf: (doc) => clusters.messages.labelOf(doc) });
    clusters.hook = vectors;
    const refund = unit(64);
    vectors.put(vectors.hash("where is my refund"), refund);
    const label = clusters.newLabel();
    clusters.add("where is my refund", null, label);
    expect(vectors.waiting.size).toBe(0);
    clusters.add("parcel arrived broken", null, clusters.newLabel()); // no vector yet: waits
    expect(vectors.waiting.size).toBe(1);

    vectors.put(vectors.hash("qworvex blintaph"), near(refund, 0.1));
    const [top] = clusters.match("qworvex blintaph", { limit: 3 });
    expect(top?.label).toBe(label);
    expect(top?.score).toBeGreaterThan(0.9);
    expect(top?.shared).toEqual([]);
    expect(clusters.decide("qworvex blintaph").label).toBe(label);
    expect(clusters.decide("nothing known about this text").label).toBeNull();

    // Words shared with a question the embeddings put far away count WORD_MARGIN above them at most.
    const parcel = clusters.newLabel();
    vectors.put(vectors.hash("parcel arrived late"), unit(64));
    clusters.add("parcel arrived late", null, parcel);
    vectors.put(vectors.hash("parcel arrived late again"), refund);
    const byWords = clusters.match("parcel arrived late again", { limit: 5 }).find((m) => m.label === parcel);
    expect(byWords?.shared.length).toBeGreaterThan(0);
    expect(byWords?.score).toBeLessThanOrEqual(WORD_MARGIN + 0.2);
    expect(clusters.decide("parcel arrived late again").label).toBe(label);

    expect(score(0.6)).toBeCloseTo(0.5);
    expect(score(1)).toBe(1);
    expect(score(0.1)).toBe(0);
  });
});
