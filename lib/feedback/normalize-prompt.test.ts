import { describe, expect, it } from "vitest";
import { hashPrompt, normalizePrompt } from "@/lib/feedback/normalize-prompt";

describe("normalizePrompt", () => {
  it("folds case, punctuation, whitespace and order numbers", () => {
    expect(normalizePrompt("Hey, I never got my refund for order #12345!!")).toBe("hey i never got my refund for order <id>");
    expect(hashPrompt("Where is order #12345?")).toBe(hashPrompt("where is   ORDER 99881"));
  });

  it("replaces emails and amounts", () => {
    expect(normalizePrompt("Charged $49.99 twice, mail me at ann.lee+x@mail.example.org")).toBe(
      "charged <amount> twice mail me at <email>",
    );
  });

  it("keeps different questions apart", () => {
    expect(hashPrompt("Where is my refund?")).not.toBe(hashPrompt("How do I cancel my plan?"));
  });
});
