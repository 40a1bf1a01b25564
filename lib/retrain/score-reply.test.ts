import { describe, expect, it } from "vitest";
import { combineVerdicts, tokenSetF1 } from "@/lib/retrain/score-reply";

describe("tokenSetF1", () => {
  it("is 1 for the same words, 0 for none in common, in between otherwise", () => {
    expect(tokenSetF1("Your refund was issued today.", "your REFUND was issued today")).toBe(1);
    expect(tokenSetF1("Hello there", "Refund issued")).toBe(0);
    const partial = tokenSetF1("refund issued today", "refund issued yesterday");
    expect(partial).toBeCloseTo(2 / 3);
  });
  it("treats two empty texts as equal and one empty as nothing in common", () => {
    expect(tokenSetF1("", "")).toBe(1);
    expect(tokenSetF1("", "text")).toBe(0);
  });
});

describe("combineVerdicts (order swapped: candidate is A, then B)", () => {
  it("keeps a preference that survives the swap and cancels one that flips", () => {
    expect(combineVerdicts("A", "B")).toBe("candidate");
    expect(combineVerdicts("B", "A")).toBe("baseline");
    expect(combineVerdicts("A", "A")).toBe("tie"); // position bias
    expect(combineVerdicts("tie", "B")).toBe("candidate");
    expect(combineVerdicts("tie", "tie")).toBe("tie");
  });
});
