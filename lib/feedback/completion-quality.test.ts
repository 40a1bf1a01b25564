import { describe, expect, it } from "vitest";
import { isUsableCompletion } from "@/lib/feedback/completion-quality";

describe("isUsableCompletion", () => {
  it.each(["", "   ", "N/A", "n/a", "-", "test", "TBD", null, undefined, "x"])("rejects placeholder %j", (value) => {
    expect(isUsableCompletion(value)).toBe(false);
  });

  it("accepts a real reply", () => {
    expect(isUsableCompletion("We're sorry for the delay! The refund was issued today.")).toBe(true);
    expect(isUsableCompletion("OK")).toBe(true);
  });
});
