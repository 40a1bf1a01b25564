import { describe, expect, it } from "vitest";
import { analyzeText } from "@/lib/meaning/analyze-text";
import { MeaningIndex } from "@/lib/meaning/meaning-index";

const lemmas = (words: { lemma: string }[]) => words.map((w) => w.lemma);

describe("the meaning index's shortcuts", () => {
  it("keeps an analysis only while no later vocabulary can change it", () => {
    const index = new MeaningIndex();
    // "zorbix" is in no dictionary: mended against the team's words, so not kept.
    expect(lemmas(index.analyze("my zorbix broke"))).toEqual(["zorbix", "broke"]);
    index.add("the zorbax is great", { label: 0 });
    index.add("zorbax again", { label: 0 });
    expect(lemmas(index.analyze("my zorbix broke"))).toEqual(["zorbax", "broke"]);
    // A settled text comes back from the cache as analyzeText would make it.
    const first = index.analyze("Where is my refund for order 123?");
    expect(index.analyze("where is my refund for order 99881")).toBe(first);
    expect(lemmas(first)).toEqual(lemmas(analyzeText("Where is my refund for order 123?")));
  });

  it("breaks ties between candidates as a full sort would: the first met first", () => {
    const index = new MeaningIndex();
    // Forty wordings that score the same (numbers say which order, not what is asked).
    const ids = Array.from({ length: 40 }, (_, i) => index.add(`parcel delivery late, order ${1000 + i}`, { label: i }));
    for (let i = 0; i < 20; i++) index.add(`refund status ${i}`, { label: 100 + i });
    const wide = index.search("parcel delivery late", { limit: 5, candidates: 1000 });
    expect(index.search("parcel delivery late", { limit: 5, candidates: 5 })).toEqual(wide);
    expect(wide.map((m) => m.id)).toEqual(ids.slice(0, 5));
    const labels = index.searchLabels("parcel delivery late", { limit: 3, candidates: 1000, combine: "member" });
    expect(index.searchLabels("parcel delivery late", { limit: 3, candidates: 3, combine: "member" })).toEqual(labels);
    expect(labels.map((m) => m.label)).toEqual([0, 1, 2]);
  });

  it("forgets the walks it remembered when the index changes", () => {
    const index = new MeaningIndex();
    index.add("parcel arrived late", { label: 0 });
    expect(index.searchLabels("late parcel").map((m) => m.label)).toEqual([0]);
    const late = index.add("late parcel", { label: 1 });
    expect(index.searchLabels("late parcel")[0]).toMatchObject({ label: 1, score: 1 });
    index.remove(late);
    expect(index.searchLabels("late parcel").map((m) => m.label)).toEqual([0]);
  });
});
