import { describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/client";
import { storeFeedbackReplay } from "@/lib/feedback/storage";
import { hashPrompt } from "@/lib/feedback/normalize-prompt";
import { groupPendingReplays } from "@/lib/meaning/group-pending-replays";
import { loadMeaningIndex } from "@/lib/meaning/load-meaning-index";
import { moveWordings } from "@/lib/meaning/move-wordings";
import { regroupReplays } from "@/lib/meaning/regroup-replays";
import { releaseGroupPins } from "@/lib/meaning/release-group-pins";
import { getPromptGroup } from "@/lib/training/get-prompt-group";
import { createUser, findReplay } from "../support/factories";
import { randomWords } from "../support/training-factories";

// Short replies (under six content words): no answer evidence either way, the wordings alone decide.
const store = (message: string) => storeFeedbackReplay({ message, aiReply: "Please wait.", agentReply: `Reply ${randomWords(3)}.`, feedback: "no" });

async function groupsOf(ids: string[]): Promise<(string | null)[]> {
  await groupPendingReplays({ waitMs: 30_000 });
  return Promise.all(ids.map(async (id) => (await findReplay(id))?.promptGroupId ?? null));
}

/** Wordings of one question, each stored `times` (the repeats in capitals, one wording still). */
async function storeQuestion(wordings: string[], times = 2) {
  const ids: string[][] = [];
  for (const wording of wordings) {
    const stored = [];
    for (let i = 0; i < times; i++) stored.push((await store(i === 0 ? wording : `${wording.toUpperCase()}!`)).id);
    ids.push(stored);
  }
  return ids;
}

async function manager() {
  const user = await createUser("manager");
  return { id: user.id, email: user.email };
}

describe("a manager's split and merge", () => {
  it("splits wordings out of a group; the split survives a regroup, new replays of the wording follow it, and the index sees it", async () => {
    // Other words, same meaning ("purchased" ~ "bought", "damaged" ~ "broken"); every other word is this test's own.
    const thing = randomWords(3);
    const wordings = [`my ${thing} was bought last week and it is broken`, `the ${thing} I purchased is damaged`, `${thing} arrived broken`];
    const [a, b, c] = await storeQuestion(wordings);
    const groups = await groupsOf([...a!, ...b!, ...c!]);
    const group = groups[0]!;
    expect(new Set(groups)).toEqual(new Set([group]));

    // Why they share the group: the words, across synonyms.
    const detail = await getPromptGroup({ id: group });
    expect(detail?.wordings).toHaveLength(3);
    const purchased = detail!.wordings.find((w) => w.hash === hashPrompt(wordings[1]!))!;
    expect(purchased.reason.kind).toBe("words");
    if (purchased.reason.kind !== "words") throw new Error("unreachable");
    expect(purchased.reason.shared).toContainEqual({ word: thing.split(" ")[0], via: thing.split(" ")[0], exact: true, strength: 1 });
    expect(purchased.reason.shared).toContainEqual(expect.objectContaining({ word: "purchase", via: "buy", exact: false }));
    // Weak concept links (two definitions sharing a word) are not offered as the reason.
    for (const w of detail!.wordings) if (w.reason.kind !== "alone") for (const s of w.reason.shared) expect(s.exact || s.strength >= 0.3).toBe(true);

    const actor = await manager();
    const split = await moveWordings({ kind: "split", from: group, hashes: [hashPrompt(wordings[2]!)], actor });
    expect(split.groupId).not.toBe(group);
    expect(split).toMatchObject({ wordings: 1, replays: 2, removedGroup: false });
    expect(await groupsOf([...a!, ...b!])).toEqual([group, group, group, group]);
    expect(await groupsOf(c!)).toEqual([split.groupId, split.groupId]);
    const { rows: audit } = await getPool().query("SELECT action, target, details FROM audit_log WHERE actor_id = $1", [actor.id]);
    expect(audit).toEqual([{ action: "training.group_split", target: group, details: { from: group, into: split.groupId, wordings: 1, replays: 2, removedGroup: false } }]);

    // This process's index was rebuilt: the split group is a label with the wording in it.
    const state = await loadMeaningIndex();
    const label = state.labelOfGroup.get(split.groupId);
    expect(label).toBeDefined();
    expect(state.clusters.scoreFor(wordings[2]!, label!)?.score).toBeGreaterThan(0.9);

    // A regroup from scratch (as after a settings change) keeps the decision.
    await regroupReplays({ all: true });
    expect(await groupsOf([...a!, ...b!])).toEqual([group, group, group, group]);
    expect(await groupsOf(c!)).toEqual([split.groupId, split.groupId]);

    // A new replay of the split wording lands in its new group.
    const again = await store(`${thing.toUpperCase()} arrived broken...`);
    expect(await groupsOf([again.id])).toEqual([split.groupId]);
    // Splitting every wording out is not a split.
    await expect(moveWordings({ kind: "split", from: split.groupId, hashes: [hashPrompt(wordings[2]!)], actor })).rejects.toMatchObject({ code: "nothing_left" });

    // The manager takes the decision back on both sides: the next regroup lets the engine decide, and it joins them again.
    expect((await getPromptGroup({ id: split.groupId }))!.wordings.every((w) => w.pinned)).toBe(true);
    expect(await releaseGroupPins({ groupId: split.groupId, actor })).toEqual({ wordings: 1 });
    expect(await releaseGroupPins({ groupId: group, actor })).toEqual({ wordings: 2 });
    await expect(releaseGroupPins({ groupId: group, actor })).rejects.toMatchObject({ code: "not_pinned" });
    expect((await getPromptGroup({ id: group }))!.wordings.some((w) => w.pinned)).toBe(false);
    const { rows: released } = await getPool().query("SELECT details FROM audit_log WHERE actor_id = $1 AND action = 'training.group_unpin' ORDER BY created_at", [actor.id]);
    expect(released).toEqual([{ details: { wordings: 1 } }, { details: { wordings: 2 } }]);
    await regroupReplays({ all: true });
    const after = await groupsOf([...a!, ...b!, ...c!, again.id]);
    expect(new Set(after).size).toBe(1);
  });

  it("merges two groups into one (the other is removed); the merge survives a regroup and counts stay whole", async () => {
    const first = randomWords(3);
    const second = randomWords(3);
    const [a, b] = await storeQuestion([`where is my ${first} parcel`, `my ${first} parcel never arrived`]);
    const [c, d] = await storeQuestion([`how do I cancel ${second}`, `cancel ${second} please`]);
    const [g1, , , , g2] = await groupsOf([...a!, ...b!, ...c!, ...d!]);
    expect(await groupsOf([...a!, ...b!])).toEqual([g1, g1, g1, g1]);
    expect(await groupsOf([...c!, ...d!])).toEqual([g2, g2, g2, g2]);
    expect(g1).not.toBe(g2);

    const actor = await manager();
    const merged = await moveWordings({ kind: "merge", from: g2!, into: g1!, actor });
    expect(merged).toMatchObject({ groupId: g1, wordings: 2, replays: 4, removedGroup: true });
    const all = [...a!, ...b!, ...c!, ...d!];
    expect(new Set(await groupsOf(all))).toEqual(new Set([g1]));
    const { rows: gone } = await getPool().query("SELECT 1 FROM prompt_groups WHERE id = $1", [g2]);
    expect(gone).toHaveLength(0);
    expect((await getPromptGroup({ id: g1! }))?.noCount).toBe(8);

    await regroupReplays({ all: true });
    expect(new Set(await groupsOf(all))).toEqual(new Set([g1]));

    // Moving one wording back out is a move: it joins the group chosen.
    const [other] = await storeQuestion([`${randomWords(3)} question`], 1);
    const [g3] = await groupsOf(other!);
    await moveWordings({ kind: "move", from: g1!, hashes: [hashPrompt(`how do I cancel ${second}`)], into: g3!, actor });
    expect(await groupsOf(c!)).toEqual([g3, g3]);
    await regroupReplays({ all: true });
    expect(await groupsOf(c!)).toEqual([g3, g3]);
    expect(await groupsOf(d!)).toEqual([g1, g1]);
  });

  it("refuses a group that is gone and wordings that left", async () => {
    const [a] = await storeQuestion([`${randomWords(3)} broken`, `${randomWords(3)} missing`], 1);
    const [group] = await groupsOf(a!);
    const actor = await manager();
    await expect(moveWordings({ kind: "split", from: group!, hashes: ["0".repeat(32)], actor })).rejects.toMatchObject({ code: "not_in_group", status: 409 });
    await expect(moveWordings({ kind: "merge", from: "00000000-0000-4000-8000-000000000000", into: group!, actor })).rejects.toMatchObject({ code: "group_not_found" });
  });
});
