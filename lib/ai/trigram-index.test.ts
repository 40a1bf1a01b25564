import { describe, expect, it } from "vitest";
import { extractTrigrams, TrigramIndex } from "@/lib/ai/trigram-index";

describe("extractTrigrams", () => {
  it("cuts words as pg_trgm does: padded, lower-cased, a set", () => {
    // SELECT show_trgm('Order refund order')
    expect(extractTrigrams("Order refund order").sort()).toEqual(
      ["  o", "  r", " or", " re", "der", "efu", "er ", "fun", "nd ", "ord", "rde", "ref", "und"].sort(),
    );
    expect(extractTrigrams("")).toEqual([]);
    expect(extractTrigrams("a")).toEqual(["  a", " a "]);
  });
});

describe("TrigramIndex", () => {
  const index = new TrigramIndex();
  for (const key of ["order refund", "order refund week", "arriv broken order", "password reset", "order refund"]) index.add(key);

  it("finds the most similar keys first, with pg_trgm's similarity", () => {
    const found = index.search("refund order", { limit: 2, minSimilarity: 0.3 });
    expect(found.map((f) => f.key)).toEqual(["order refund", "order refund week"]);
    expect(found[0]!.similarity).toBe(1);
    // 13 shared of 13 + 18 - 13 (show_trgm('order refund week') has 18).
    expect(found[1]!.similarity).toBeCloseTo(13 / 18, 6);
  });

  it("keeps to the threshold and the limit, and finds nothing for an empty key", () => {
    expect(index.search("password reset link", { limit: 5, minSimilarity: 0.9 })).toEqual([]);
    expect(index.search("password reset link", { limit: 5, minSimilarity: 0.5 }).map((f) => f.key)).toEqual(["password reset"]);
    expect(index.search("order", { limit: 1, minSimilarity: 0 })).toHaveLength(1);
    expect(index.search("", { limit: 5, minSimilarity: 0 })).toEqual([]);
    expect(index.size).toBe(4); // the repeated key counted once
  });

  it("grows past its first allocation and finds keys added after a compaction", () => {
    const big = new TrigramIndex();
    for (let i = 0; i < 3000; i++) big.add(`topic${i} shared words here`);
    big.compact();
    big.add("zebra crossing lights");
    expect(big.size).toBe(3001);
    expect(big.search("zebra crossing", { limit: 1, minSimilarity: 0.5 })[0]?.key).toBe("zebra crossing lights");
    expect(big.search("topic2999 shared words here", { limit: 1, minSimilarity: 0.5 })[0]).toEqual({ key: "topic2999 shared words here", similarity: 1 });
  });
});
