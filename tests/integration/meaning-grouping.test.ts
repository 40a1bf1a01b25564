import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/client";
import { storeFeedbackReplay } from "@/lib/feedback/storage";
import { submitReplay } from "@/lib/feedback/submit-replay";
import { findSimilarCorrections } from "@/lib/ai/find-similar-corrections";
import { groupPendingReplays } from "@/lib/meaning/group-pending-replays";
import { regroupReplays } from "@/lib/meaning/regroup-replays";
import { createPendingReplay, createUser, findReplay } from "../support/factories";
import { randomWords } from "../support/training-factories";

async function groupOf(id: string): Promise<string | null> {
  await groupPendingReplays({ waitMs: 30_000 });
  return (await findReplay(id))?.promptGroupId ?? null;
}

const store = (message: string, agentReply = `Reply ${randomWords(4)}.`, feedback: "yes" | "no" = "no") =>
  storeFeedbackReplay({ message, aiReply: "Please wait.", agentReply, feedback });

describe("prompt groups by meaning", () => {
  it("groups the same question however worded: case, order numbers, word order, a typo, a short form", async () => {
    const [item, place] = randomWords(2).split(" ") as [string, string];
    const first = await store(`Hi, where is my ${item} from ${place}? Order #12345`);
    const a = await groupOf(first.id);
    expect(a).toBeTruthy();
    for (const wording of [
      `where is my ${item.toUpperCase()} from ${place}, order 99881`,
      `${place} ${item} where??`,
      `still waiting for the ${item} from ${place.slice(0, 3)}${place.slice(4)} i ordered`,
    ]) {
      expect(await groupOf((await store(wording)).id), wording).toBe(a);
    }
    const other = await store(`How do I cancel ${randomWords(2)}?`);
    expect(await groupOf(other.id)).not.toBe(a);
  });

  it("joins different words through the agents' near-identical replies", async () => {
    const reply = `Your ${randomWords(1)} refund was issued today and reaches your card within five working days.`;
    const one = await store(`I would like a refund for the ${randomWords(1)} please`, reply);
    const two = await store(`give me my money back, the ${randomWords(1)} is not what I wanted`, reply);
    expect(await groupOf(two.id)).toBe(await groupOf(one.id));
  });

  it("groups the agent's submit of a queued replay, and concurrent runs group each replay once", async () => {
    const words = randomWords(3);
    const stored = await store(`My ${words} arrived broken`);
    const pending = await createPendingReplay({ message: `my ${words} arrived broken!` });
    expect(pending.promptGroupId).toBeNull();
    const agent = await createUser();
    await submitReplay({ input: { replayId: pending.id, submissionId: randomUUID(), agentReply: "Replaced.", feedback: "no" }, agent });
    const results = await Promise.all([groupPendingReplays({ waitMs: 30_000 }), groupPendingReplays({ waitMs: 30_000 })]);
    expect(results.every((r) => !r.busy)).toBe(true);
    expect(await groupOf(pending.id)).toBe(await groupOf(stored.id));
    const { rows } = await getPool().query("SELECT count(*)::int AS n FROM meaning_documents WHERE replay_id = $1 AND kind = 'message'", [pending.id]);
    expect(rows[0].n).toBeLessThanOrEqual(1);
  });

  it("serves a correction to a new wording of a corrected question the same day", async () => {
    const [thing, brand] = randomWords(2).split(" ") as [string, string];
    const reply = `To return the ${thing} print the label from your ${brand} account page.`;
    await store(`How can I send back the ${thing} I bought from ${brand}?`, reply);
    await store(`I want to return a ${thing} ordered on ${brand}`, reply);
    const found = await findSimilarCorrections({ message: `${brand} ${thing} return`, limit: 1, minSimilarity: 0.4 });
    expect(found[0]?.reply).toBe(reply);
    expect(found[0]?.shared?.length).toBeGreaterThan(0);
    expect(await findSimilarCorrections({ message: `what are your opening hours ${randomWords(1)}`, limit: 1, minSimilarity: 0.4 })).toEqual([]);
  });

  it("regroups from scratch with the same result, keeping group ids and the oldest message as representative", async () => {
    const words = randomWords(3);
    const first = await createPendingReplay({ message: `Question about ${words}`, createdAt: new Date(Date.now() - 60_000) });
    const agent = await createUser();
    await submitReplay({ input: { replayId: first.id, submissionId: randomUUID(), agentReply: "Answer.", feedback: "no" }, agent });
    const second = await store(`question about ${words}!`);
    const before = await groupOf(first.id);
    expect(await groupOf(second.id)).toBe(before);
    const progress: number[] = [];
    const result = await regroupReplays({ all: true, onProgress: (done) => progress.push(done) });
    expect(result.regrouped).toBe(true);
    expect(progress.at(-1)).toBe(result.replays);
    expect(await groupOf(first.id)).toBe(before);
    expect(await groupOf(second.id)).toBe(before);
    const { rows } = await getPool().query("SELECT representative FROM prompt_groups WHERE id = $1", [before]);
    expect(rows[0].representative).toBe(first.message);
    const { rows: state } = await getPool().query("SELECT generation, regrouping, engine FROM meaning_state");
    expect(state[0].regrouping).toBeNull();
    expect(state[0].engine).toMatch(/^meaning-/);
    // Same engine and settings: nothing to regroup.
    expect((await regroupReplays()).regrouped).toBe(false);
  });
});
