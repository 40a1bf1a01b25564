import { describe, expect, it } from "vitest";
import { editRatio, inferLabel } from "./infer-label";

const settings = { notUsefulEditRatio: 0.5, acceptedTags: ["ai_suggestion_accepted"], rejectedTags: ["ai_suggestion_rejected"] };

describe("editRatio", () => {
  it("is 0 for the same words and 1 for a different reply", () => {
    expect(editRatio("Your refund is on its way", " Your refund  is on\nits way ")).toBe(0);
    expect(editRatio("Your refund is on its way", "Please reset the router")).toBe(1);
  });
  it("counts word edits over the longer reply", () => {
    expect(editRatio("a b c d", "a b x d")).toBe(0.25);
    expect(editRatio("a b", "a b c d")).toBe(0.5);
  });
});

describe("inferLabel", () => {
  it("calls a lightly edited draft useful and a rewrite not useful", () => {
    expect(inferLabel({ draft: "Your refund was sent today", sent: "Your refund was sent today, sorry!", tags: [], settings })).toBe("yes");
    expect(inferLabel({ draft: "Your refund was sent today", sent: "Please restart the app and try again", tags: [], settings })).toBe("no");
  });
  it("follows the threshold", () => {
    expect(inferLabel({ draft: "a b c d", sent: "a b x y", tags: [], settings })).toBe("no");
    expect(inferLabel({ draft: "a b c d", sent: "a b x y", tags: [], settings: { ...settings, notUsefulEditRatio: 0.75 } })).toBe("yes");
  });
  it("lets the helpdesk's tags win over the edit distance", () => {
    expect(inferLabel({ draft: "a", sent: "totally different words here", tags: ["AI_SUGGESTION_ACCEPTED"], settings })).toBe("yes");
    expect(inferLabel({ draft: "same", sent: "same", tags: ["ai_suggestion_rejected"], settings })).toBe("no");
  });
});
