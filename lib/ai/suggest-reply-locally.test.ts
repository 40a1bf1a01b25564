import { describe, expect, it } from "vitest";
import type { Correction } from "@/lib/ai/find-similar-corrections";
import { adaptReply, GENERIC_REPLY, suggestReplyLocally } from "@/lib/ai/suggest-reply-locally";

const correction = (message: string, reply: string): Correction => ({ source: "training", id: "x", message, reply, similarity: 0.8, at: new Date() });

describe("suggestReplyLocally", () => {
  it("answers with the closest correction, or an honest generic reply when there is none", () => {
    expect(suggestReplyLocally({ message: "refund?", corrections: [correction("Where is my refund?", "Refunded today.")] })).toEqual({
      text: "Refunded today.",
      basis: { kind: "retrieved", similarity: 0.8, source: "training" },
    });
    expect(suggestReplyLocally({ message: "what is the meaning of life", corrections: [] })).toEqual({ text: GENERIC_REPLY, basis: { kind: "generic" } });
  });
});

describe("adaptReply", () => {
  it("swaps the past customer's order numbers and emails for this customer's", () => {
    expect(
      adaptReply({
        pastMessage: "Refund for order #12345 please, mail ann@example.org",
        reply: "I checked order #12345: refunded, it shows in 5-10 business days. Confirmation sent to ann@example.org.",
        message: "where is the refund for order 99881? I'm bo@example.com",
      }),
    ).toBe("I checked order #99881: refunded, it shows in 5-10 business days. Confirmation sent to bo@example.com.");
  });

  it("uses a placeholder when this customer gave no such detail, and keeps the reply's own numbers", () => {
    expect(
      adaptReply({
        pastMessage: "Order 55555 arrived broken",
        reply: "Replacement for order 55555 ships today; 30 day warranty on 2024 models.",
        message: "my mug arrived broken",
      }),
    ).toBe("Replacement for order [order number] ships today; 30 day warranty on 2024 models.");
  });
});
