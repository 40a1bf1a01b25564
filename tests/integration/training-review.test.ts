import { describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/client";
import { storeTrainingExample } from "@/lib/feedback/storage";
import { UserError } from "@/lib/errors";
import { findConflictingAnswers, rankDifferingAnswers } from "@/lib/meaning/find-differing-answers";
import { editCompletion } from "@/lib/training/edit-completion";
import { getExampleDetail } from "@/lib/training/get-example-detail";
import { listReviewQueue } from "@/lib/training/list-review-queue";
import { mergeExamples } from "@/lib/training/merge-examples";
import { reviewExamples } from "@/lib/training/review-examples";
import { reviewQuerySchema } from "@/lib/training/schemas";
import { createUser, findReplay } from "../support/factories";
import { storeQuestionReplays, uniqueQuestion } from "../support/training-factories";

async function examplesOf(replayIds: string[]) {
  const { rows } = await getPool().query(
    "SELECT id, review_status, reviewed_by, completion, original_completion, status, duplicate_of FROM training_log WHERE replay_id = ANY($1::uuid[]) ORDER BY created_at",
    [replayIds],
  );
  return rows;
}

async function decisionsOf(exampleIds: string[]) {
  const { rows } = await getPool().query("SELECT example_id, decision, reviewer_id FROM training_reviews WHERE example_id = ANY($1::uuid[])", [exampleIds]);
  return rows;
}

describe("review decisions", () => {
  it("approves hundreds at once in one statement, records who and when, and never decides twice", async () => {
    const manager = await createUser("manager");
    const ids: string[] = [];
    for (let i = 0; i < 300; i++) ids.push((await storeTrainingExample({ prompt: `Bulk prompt ${i} ${manager.id}`, completion: `A complete answer ${i}.` })).id);
    const placeholder = await storeTrainingExample({ prompt: `Bulk placeholder ${manager.id}`, completion: "N/A" });

    const first = await reviewExamples({ ids: [...ids, placeholder.id], decision: "approve", reviewerId: manager.id });
    expect(first.changed).toHaveLength(300);
    expect(first.skipped).toBe(1); // a placeholder completion cannot be approved: it needs an edit first
    const again = await reviewExamples({ ids, decision: "reject", reviewerId: manager.id });
    expect(again).toEqual({ changed: [], skipped: 300 });

    const { rows } = await getPool().query(
      "SELECT count(*)::int AS n FROM training_log WHERE id = ANY($1::uuid[]) AND review_status = 'approved' AND reviewed_by = $2 AND reviewed_at IS NOT NULL",
      [ids, manager.id],
    );
    expect(rows[0].n).toBe(300);
    const decisions = await decisionsOf(ids);
    expect(decisions).toHaveLength(300);
    expect(decisions.every((d) => d.decision === "approved" && d.reviewer_id === manager.id)).toBe(true);
  });

  it("two managers deciding the same examples at once: each example is decided exactly once", async () => {
    const [a, b] = [await createUser("manager"), await createUser("manager")];
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) ids.push((await storeTrainingExample({ prompt: `Race ${i} ${a.id}`, completion: `Answer ${i}.` })).id);
    const [x, y] = await Promise.all([
      reviewExamples({ ids, decision: "approve", reviewerId: a.id }),
      reviewExamples({ ids, decision: "reject", reviewerId: b.id }),
    ]);
    expect(x.changed.length + y.changed.length).toBe(50);
    expect(await decisionsOf(ids)).toHaveLength(50);
  });

  it("edits keep the agent's original, approve, and can be reopened", async () => {
    const manager = await createUser("manager");
    const question = uniqueQuestion();
    const [stored] = await storeQuestionReplays({ question, no: 1, reply: () => "N/A" });
    const [example] = await examplesOf([stored!.id]);
    expect(example.status).toBe("needs_completion");

    await editCompletion({ id: example.id, completion: "  Sorry! I reshipped it today.  ", reviewerId: manager.id });
    await editCompletion({ id: example.id, completion: "Sorry! I reshipped it today by express.", reviewerId: manager.id });
    const [edited] = await examplesOf([stored!.id]);
    expect(edited).toMatchObject({ status: "ready", review_status: "approved", completion: "Sorry! I reshipped it today by express.", original_completion: "" });

    await reviewExamples({ ids: [example.id], decision: "reject", reviewerId: manager.id }); // not pending: skipped
    expect((await examplesOf([stored!.id]))[0].review_status).toBe("approved");
    await reviewExamples({ ids: [example.id], decision: "reopen", reviewerId: manager.id });
    expect((await examplesOf([stored!.id]))[0].review_status).toBe("pending");
    const detail = await getExampleDetail(example.id);
    expect(detail.history.map((h) => h.decision)).toEqual(["reopened", "edited", "edited"]);
    // The AI's self-critique of the miss is there (written with the "no"; done, or still queued).
    expect(detail.analysis?.status).toMatch(/^(pending|running|done|failed)$/);
  });

  it("merges duplicates into the one to keep, and refuses a rejected target", async () => {
    const manager = await createUser("manager");
    const question = uniqueQuestion();
    const stored = await storeQuestionReplays({ question, no: 4 });
    const examples = await examplesOf(stored.map((s) => s.id));
    const [keep, ...dupes] = examples.map((e) => e.id as string);
    const result = await mergeExamples({ ids: [keep!, ...dupes], into: keep!, reviewerId: manager.id });
    expect(result).toEqual({ changed: expect.arrayContaining(dupes), skipped: 0 });
    const after = await examplesOf(stored.map((s) => s.id));
    expect(after.filter((e) => e.review_status === "merged").every((e) => e.duplicate_of === keep)).toBe(true);
    expect((await getExampleDetail(keep!)).mergedHere).toBe(3);

    await reviewExamples({ ids: [keep!], decision: "reject", reviewerId: manager.id });
    await expect(mergeExamples({ ids: dupes, into: keep!, reviewerId: manager.id })).rejects.toBeInstanceOf(UserError);
  });
});

describe("listReviewQueue", () => {
  it("judges conflicts by meaning: the same answer in other words is no conflict, another answer is", async () => {
    const refund = "Your refund was issued today and should reach your card within five business days.";
    const moneyBack = "We sent your money back this morning; the bank needs about five working days to show it on your card.";
    const password = "Please reset your password from the sign in page.";
    const answers = [refund, moneyBack, refund, moneyBack].map((text, i) => ({ id: `a${i}`, groupId: "g", text }));
    expect(await findConflictingAnswers(answers, answers, 0.3)).toEqual(new Set());
    const mixed = [...answers, { id: "p", groupId: "g", text: password }];
    expect(await findConflictingAnswers(mixed, mixed, 0.3)).toEqual(new Set(["a0", "a1", "a2", "a3", "p"]));
    // Only answers of the same group count.
    const apart = [...answers, { id: "p", groupId: "other", text: password }];
    expect(await findConflictingAnswers(apart, apart, 0.3)).toEqual(new Set());
    const ranked = await rankDifferingAnswers(refund, [{ completion: moneyBack }, { completion: password }], 0.3);
    expect(ranked.map((r) => r.completion)).toEqual([password]);
  });

  it("lists a worst group's examples with the redaction preview and flags conflicting answers", async () => {
    const question = uniqueQuestion();
    const stored = await storeQuestionReplays({
      question,
      no: 6,
      reply: (i) =>
        i < 5
          ? `We are sorry! Write to help@shop.example or call +44 20 7946 0958 and we reship at once.`
          : "Totally different: check the warehouse portal yourself tomorrow morning.",
      extra: { customerName: "Jane Roe" },
    });
    const groupId = (await findReplay(stored[0]!.id))!.promptGroupId!;
    const { items, total } = await listReviewQueue(reviewQuerySchema.parse({ group: groupId }));
    expect(total).toBe(6);
    expect(items[0]).toMatchObject({ groupId, reviewStatus: "pending", groupNoCount: 6 });
    expect(items[0]!.clean.completion).toBe("We are sorry! Write to [EMAIL] or call [PHONE] and we reship at once.");
    expect(items[0]!.clean.redactions).toEqual({ EMAIL: 1, PHONE: 1 });
    expect(items.filter((i) => i.conflict)).toHaveLength(6);
    // variants 0, 1, 2 and 4 normalise alike; variant 3 carries an order number: still a different text
    expect(items.filter((i) => i.sameAs)).toHaveLength(3);
    const conflicts = await listReviewQueue(reviewQuerySchema.parse({ group: groupId, conflicts: "1" }));
    expect(conflicts.total).toBe(6);
    const detail = await getExampleDetail(items[0]!.id);
    expect(detail.otherAnswers).toEqual([
      expect.objectContaining({ completion: "Totally different: check the warehouse portal yourself tomorrow morning.", count: 1 }),
    ]);
    // From the odd one out, the five alike answers are one entry, redacted.
    const odd = items.find((i) => i.completion.startsWith("Totally"))!;
    expect((await getExampleDetail(odd.id)).otherAnswers).toEqual([
      expect.objectContaining({ completion: "We are sorry! Write to [EMAIL] or call [PHONE] and we reship at once.", count: 5 }),
    ]);
  });
});
