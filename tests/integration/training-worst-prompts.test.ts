import { describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/client";
import { findWorstPrompts } from "@/lib/training/find-worst-prompts";
import { listGroupMembers } from "@/lib/training/list-group-members";
import { findReplay } from "../support/factories";
import { storeQuestionReplays, uniqueQuestion } from "../support/training-factories";

const hourAgo = () => new Date(Date.now() - 3_600_000);

describe("findWorstPrompts", () => {
  it("returns a group only when its 'no' count is strictly greater than the threshold", async () => {
    const question = uniqueQuestion();
    const stored = await storeQuestionReplays({ question, no: 5, yes: 3, extra: { topic: "shipping" } });
    const groupId = (await findReplay(stored[0]!.id))!.promptGroupId!;
    const find = async () => (await findWorstPrompts({ since: hourAgo(), threshold: 5 })).find((w) => w.groupId === groupId);
    expect(await find()).toBeUndefined();

    await storeQuestionReplays({ question, no: 1, extra: { topic: "returns" } });
    expect(await find()).toMatchObject({
      groupId,
      representative: question.variant(0),
      noCount: 6,
      yesCount: 3,
      usefulRate: 3 / 9,
      topics: [
        { topic: "shipping", count: 5 },
        { topic: "returns", count: 1 },
      ],
      pendingReview: 6,
    });
    // The threshold is a parameter (WORST_PROMPT_THRESHOLD by default).
    expect((await findWorstPrompts({ since: hourAgo(), threshold: 6 })).some((w) => w.groupId === groupId)).toBe(false);
  });

  it("counts only the window", async () => {
    const question = uniqueQuestion();
    const stored = await storeQuestionReplays({ question, no: 7 });
    const ids = stored.slice(0, 2).map((s) => s.id);
    await getPool().query("UPDATE feedback_replay_log SET created_at = now() - interval '40 days' WHERE id = ANY($1::uuid[])", [ids]);
    const groupId = (await findReplay(stored[0]!.id))!.promptGroupId!;
    const recent = await findWorstPrompts({ since: new Date(Date.now() - 30 * 86_400_000), threshold: 5 });
    expect(recent.some((w) => w.groupId === groupId)).toBe(false);
    const longer = await findWorstPrompts({ since: new Date(Date.now() - 60 * 86_400_000), threshold: 5 });
    expect(longer.find((w) => w.groupId === groupId)?.noCount).toBe(7);
  });

  it("lists the different wordings of the groups, most 'no' first (case, punctuation and order numbers make no new wording)", async () => {
    const question = uniqueQuestion();
    const stored = await storeQuestionReplays({ question, no: 7, yes: 1 });
    const groupId = (await findReplay(stored[0]!.id))!.promptGroupId!;
    const members = (await listGroupMembers({ groupIds: [groupId], since: hourAgo() })).get(groupId)!;
    // "Where is my X?", "where is my X", "WHERE IS MY X!!" are one wording; "… order #n" another.
    expect(members.distinct).toBe(2);
    expect(members.members.map((m) => m.noCount)).toEqual([6, 1]);
    expect(members.members[0]!.yesCount).toBe(1);
    expect(members.members[1]!.message).toBe(question.variant(3).replace("#10003", "[ORDER_ID]")); // redacted as training data
  });

  it("shows the wordings redacted, as the training data will be: no email, phone or customer name", async () => {
    const topic = uniqueQuestion().topic;
    const question = { topic, variant: () => `Hi, Jane Roe here (jane.roe@example.com), where is my ${topic}?` };
    const stored = await storeQuestionReplays({ question, no: 6, extra: { customerName: "Jane Roe" } });
    const groupId = (await findReplay(stored[0]!.id))!.promptGroupId!;
    const members = (await listGroupMembers({ groupIds: [groupId], since: hourAgo() })).get(groupId)!;
    expect(members.members[0]!.message).not.toContain("jane.roe@example.com");
    expect(members.members[0]!.message).not.toContain("Jane Roe");
    expect(members.members[0]!.message).toContain(`where is my ${topic}?`);
  });
});
