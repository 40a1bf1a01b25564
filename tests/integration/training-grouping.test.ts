import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/client";
import { submitReplay } from "@/lib/feedback/submit-replay";
import { storeFeedbackReplay } from "@/lib/feedback/storage";
import { assignPromptGroup } from "@/lib/training/assign-prompt-group";
import { regroupReplays } from "@/lib/training/regroup-replays";
import { createPendingReplay, createUser, findReplay } from "../support/factories";
import { randomWords } from "../support/training-factories";

describe("prompt groups", () => {
  it("puts the same question in one group: case, punctuation, order numbers, emails and typos folded", async () => {
    const words = randomWords(5);
    const a = await assignPromptGroup(`Hi, where is my ${words} for order #12345?`);
    expect(await assignPromptGroup(`hi where is my ${words.toUpperCase()} for order 99881`)).toBe(a);
    // A near duplicate (one typo, one extra word) joins by pg_trgm similarity.
    const typo = words.replace(/^(\w)(\w)/, "$2$1");
    expect(await assignPromptGroup(`Hi, where is my ${typo} for order #555555? thanks`)).toBe(a);
    expect(await assignPromptGroup(`How do I cancel ${randomWords(5)}?`)).not.toBe(a);
  });

  it("follows the configured similarity: at 1.0 only identical normalised texts merge", async () => {
    const words = randomWords(5);
    const a = await assignPromptGroup(`Where is my ${words}?`, { similarity: 1 });
    expect(await assignPromptGroup(`Where is my ${words} please?`, { similarity: 1 })).not.toBe(a);
    expect(await assignPromptGroup(`where is my ${words}`, { similarity: 1 })).toBe(a);
  });

  it("concurrent writers of a new question end up in one group", async () => {
    const message = `Brand new question ${randomWords(5)}?`;
    const ids = await Promise.all(Array.from({ length: 8 }, () => assignPromptGroup(message)));
    expect(new Set(ids).size).toBe(1);
  });

  it("is assigned on write by the helpdesk path and by the agent's submit", async () => {
    const message = `My ${randomWords(4)} arrived broken`;
    const stored = await storeFeedbackReplay({ message, aiReply: "Sorry.", agentReply: "Replaced today.", feedback: "no", customerName: "Jane Roe" });
    const row = await findReplay(stored.id);
    expect(row?.promptGroupId).toBe(await assignPromptGroup(message));
    expect(row?.customerName).toBe("Jane Roe");

    const pending = await createPendingReplay({ message: `${message}!` });
    expect(pending.promptGroupId).toBeNull();
    const agent = await createUser();
    await submitReplay({ input: { replayId: pending.id, submissionId: randomUUID(), agentReply: "Replaced.", feedback: "no" }, agent });
    expect((await findReplay(pending.id))?.promptGroupId).toBe(row?.promptGroupId);
  });

  it("backfills replays without a group, oldest message as representative", async () => {
    const words = randomWords(5);
    const first = await createPendingReplay({ message: `Question about ${words}`, createdAt: new Date(Date.now() - 60_000) });
    const second = await createPendingReplay({ message: `question about ${words}!` });
    const result = await regroupReplays();
    expect(result.replays).toBeGreaterThanOrEqual(2);
    const [a, b] = [await findReplay(first.id), await findReplay(second.id)];
    expect(a?.promptGroupId).toBeTruthy();
    expect(b?.promptGroupId).toBe(a?.promptGroupId);
    const { rows } = await getPool().query("SELECT representative FROM prompt_groups WHERE id = $1", [a?.promptGroupId]);
    expect(rows[0].representative).toBe(first.message);
  });
});
