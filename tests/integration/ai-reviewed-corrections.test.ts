import { describe, expect, it } from "vitest";
import { findSimilarCorrections } from "@/lib/ai/find-similar-corrections";
import { getPool } from "@/lib/db/client";
import { storeFeedbackReplay } from "@/lib/feedback/storage";
import { groupPendingReplays } from "@/lib/meaning/group-pending-replays";
import { randomWords } from "../support/training-factories";

describe("corrections the models learn from", () => {
  it("puts a manager-approved example first and never uses a rejected one", async () => {
    // Made-up product words (letters only: the engine ignores anything with a digit) keep this
    // test's question its own.
    const word = randomWords(5);
    const message = `My ${word} voucher was refused at checkout`;
    const correct = async (agentReply: string) => {
      const stored = await storeFeedbackReplay({ message, aiReply: "Please wait.", agentReply, feedback: "no" });
      return stored.trainingExampleId!;
    };
    const approved = await correct(`Approved answer: the ${word} voucher works from Monday.`);
    const pending = await correct(`Newer, unreviewed answer about ${word}.`);
    const rejected = await correct(`Rejected answer: never suggest this for ${word}.`);
    await getPool().query("UPDATE training_log SET review_status = 'approved' WHERE id = $1", [approved]);
    await getPool().query("UPDATE training_log SET review_status = 'rejected' WHERE id = $1", [rejected]);
    await groupPendingReplays({ waitMs: 30_000 });

    const found = await findSimilarCorrections({ message, limit: 5, minSimilarity: 0.5 });
    const ids = found.map((c) => c.id);
    expect(ids[0]).toBe(approved);
    expect(ids).toContain(pending);
    expect(ids).not.toContain(rejected);
  });
});
