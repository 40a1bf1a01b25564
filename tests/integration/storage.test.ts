import { describe, expect, it } from "vitest";
import { getTrainingExamples, storeFeedbackReplay, storeTrainingExample } from "@/lib/feedback/storage";
import { findExamplesForReplay, findReplay, unique } from "../support/factories";

describe("storeFeedbackReplay", () => {
  it("stores a useful replay without a training example", async () => {
    const message = unique("How do I cancel?");
    const stored = await storeFeedbackReplay({ message, aiReply: "Settings → Billing.", agentReply: "Settings → Billing.", feedback: "yes" });
    expect(stored.trainingExampleId).toBeNull();
    const row = await findReplay(stored.id);
    expect(row).toMatchObject({ message, aiReply: "Settings → Billing.", feedback: "yes", status: "submitted" });
    expect(row?.createdAt).toBeInstanceOf(Date);
    expect(await findExamplesForReplay(stored.id)).toHaveLength(0);
  });

  it("turns a not-useful replay into a training example: prompt = message, completion = agent reply", async () => {
    const message = unique("Hey, I never got my refund");
    const agentReply = "We're sorry for the delay! The refund left us on Monday.";
    const stored = await storeFeedbackReplay({ message, aiReply: "Please wait.", agentReply, feedback: "no" });
    const [example] = await findExamplesForReplay(stored.id);
    expect(example).toMatchObject({ id: stored.trainingExampleId, prompt: message, completion: agentReply, status: "ready" });
  });

  it.each([null, "", "N/A", " - "])("keeps a not-useful with reply %j as needing a completion, never exported", async (agentReply) => {
    const message = unique("Where is my parcel?");
    const stored = await storeFeedbackReplay({ message, aiReply: "It is coming.", agentReply, feedback: "no" });
    const [example] = await findExamplesForReplay(stored.id);
    expect(example).toMatchObject({ status: "needs_completion", completion: "" });
    const exported = await getTrainingExamples({ limit: 100_000 });
    expect(exported.find((e) => e.id === example!.id)).toBeUndefined();
    expect(exported.some((e) => ["", "N/A", "-"].includes(e.completion.trim()))).toBe(false);
  });
});

describe("storeTrainingExample / getTrainingExamples", () => {
  it("pages through ready examples in order", async () => {
    const a = await storeTrainingExample({ prompt: unique("p1"), completion: "A complete answer." });
    const b = await storeTrainingExample({ prompt: unique("p2"), completion: "Another complete answer." });
    const placeholder = await storeTrainingExample({ prompt: unique("p3"), completion: "N/A" });
    expect(placeholder.status).toBe("needs_completion");
    const all = await getTrainingExamples({ limit: 1_000_000 });
    const ids = all.map((e) => e.id);
    expect(ids).toContain(a.id);
    expect(ids).toContain(b.id);
    expect(ids).not.toContain(placeholder.id);
    // keyset paging returns every row exactly once
    const firstPage = await getTrainingExamples({ limit: 1 });
    const rest = await getTrainingExamples({ limit: 1_000_000, after: firstPage[0]!.cursor });
    expect(firstPage[0]!.id).toBe(all[0]!.id);
    expect(rest.map((e) => e.id)).not.toContain(firstPage[0]!.id);
    // other test files add rows meanwhile, so compare with what existed before
    expect(rest.map((e) => e.id)).toEqual(expect.arrayContaining(all.slice(1).map((e) => e.id)));
  });
});
