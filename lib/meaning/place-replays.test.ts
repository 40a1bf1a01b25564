import { describe, expect, it } from "vitest";
import { DEMO_TOPICS } from "@/lib/demo/demo-topics";
import { normalizePrompt } from "@/lib/feedback/normalize-prompt";
import { placeReplays, type PendingReplay, type PlacementTarget } from "@/lib/meaning/place-replays";
import { QuestionClusters } from "@/lib/meaning/question-clusters";

/** Demo traffic with repeats (order numbers differ), as a regroup meets it. */
function traffic(): PendingReplay[] {
  const replays: PendingReplay[] = [];
  for (let i = 0; i < 240; i++) {
    const topic = DEMO_TOPICS[(i * 7) % DEMO_TOPICS.length]!;
    const n = String(10_000 + i);
    const no = i % 3 !== 0;
    replays.push({
      id: `r${i}`,
      message: topic.messages[i % topic.messages.length]!.replace("{n}", n),
      agentReply: (no ? topic.agentReplies[0]! : topic.aiReply).replace("{n}", n),
      feedback: no ? "no" : "yes",
      promptHash: `h${i}`,
      pinnedGroup: null,
    });
  }
  return replays;
}

function placementTarget(shortcuts: boolean) {
  const clusters = new QuestionClusters();
  const groupOfLabel: string[] = [];
  const labelOfGroup = new Map<string, number>();
  const documents: string[] = [];
  let groups = 0;
  const executor = {
    query: async (sql: string, values: unknown[]) => {
      if (sql.includes("INSERT INTO prompt_groups")) return { rows: [{ id: `g${groups++}` }] };
      const [, group, , kind, text] = values as string[][];
      kind!.forEach((k, i) => documents.push(`${group![i]} ${k} ${text![i]}`));
      return { rows: [] };
    },
  };
  const target: PlacementTarget = {
    clusters,
    generation: 2,
    labelFor: (groupId) => {
      let label = labelOfGroup.get(groupId);
      if (label === undefined) {
        labelOfGroup.set(groupId, (label = clusters.newLabel()));
        groupOfLabel[label] = groupId;
      }
      return label;
    },
    groupOf: (label) => groupOfLabel[label]!,
    replayOfDoc: new Map(),
    ...(shortcuts ? { seen: new Map<string, number>(), answered: new Set<string>() } : {}),
  };
  return { executor, target, documents };
}

describe("placing replays", () => {
  it("gives a repeated wording and a repeated reply the same group and documents with the regroup's shortcuts as without", async () => {
    const replays = traffic();
    const full = placementTarget(false);
    const fast = placementTarget(true);
    const slow = await placeReplays(full.executor, full.target, replays);
    const quick = await placeReplays(fast.executor, fast.target, replays);
    expect(quick).toEqual(slow);
    expect(fast.documents).toEqual(full.documents);
    // And a repeat's shortcut label is what the full decision says for it now.
    for (const replay of replays) {
      const label = fast.target.seen!.get(normalizePrompt(replay.message));
      expect(full.target.clusters.decide(replay.message).label).toBe(label);
    }
  });
});
