import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { findSimilarCorrections } from "@/lib/ai/find-similar-corrections";
import { getPool } from "@/lib/db/client";
import { storeTrainingExample } from "@/lib/feedback/storage";

describe("corrections the models learn from", () => {
  it("puts a manager-approved example first and never uses a rejected one", async () => {
    // A made-up product word keeps this test's retrieval key its own.
    const word = `zq${randomUUID().replaceAll("-", "").slice(0, 10)}`;
    const message = `My ${word} voucher was refused at checkout`;
    const approved = await storeTrainingExample({ prompt: message, completion: "Approved answer: the voucher works from Monday." });
    const pending = await storeTrainingExample({ prompt: message, completion: "Newer, unreviewed answer." });
    const rejected = await storeTrainingExample({ prompt: message, completion: "Rejected answer: never suggest this." });
    await getPool().query("UPDATE training_log SET review_status = 'approved' WHERE id = $1", [approved.id]);
    await getPool().query("UPDATE training_log SET review_status = 'rejected' WHERE id = $1", [rejected.id]);

    const found = await findSimilarCorrections({ message, limit: 5, minSimilarity: 0.5 });
    const ids = found.map((c) => c.id);
    expect(ids[0]).toBe(approved.id);
    expect(ids).toContain(pending.id);
    expect(ids).not.toContain(rejected.id);
  });
});
