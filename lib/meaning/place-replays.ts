import "server-only";
import { isUsableCompletion } from "@/lib/feedback/completion-quality";
import { normalizePrompt } from "@/lib/feedback/normalize-prompt";
import type { QuestionClusters } from "@/lib/meaning/question-clusters";
import type { AnalyzedText } from "@/lib/meaning/analyze-text";
import type { LabelMatch } from "@/lib/meaning/meaning-index";

type Queryable = { query: (text: string, values: unknown[]) => Promise<{ rows: Record<string, unknown>[] }> };

export type PendingReplay = {
  id: string;
  message: string;
  agentReply: string | null;
  feedback: "yes" | "no" | null;
  promptHash: string;
  /** A manager's pin for this wording (prompt_group_pins). */
  pinnedGroup: string | null;
  /** Its group before a regroup (kept for the new group when free, so links and pins stay). */
  previousGroup?: string | null;
};

export type Placement = { replayId: string; groupId: string };

/** The groups and labels a placement run reads and extends: the live index, or a regroup's own. */
export type PlacementTarget = {
  clusters: QuestionClusters;
  generation: number;
  labelFor(groupId: string): number;
  groupOf(label: number): string;
  /** Message doc id → replay (the corrections behind a match). */
  replayOfDoc: Map<number, string>;
  /** A group id to give a new label, if the caller has one in mind (a regroup reuses old ids). */
  reuseGroup?: (replay: PendingReplay) => string | null;
  /** Normalised message → label, for repeats (a regroup's shortcut). */
  seen?: { get(normalized: string): number | undefined; set(normalized: string, label: number): unknown };
  /** Label and a reply's words, for replies the label already has word for word (a regroup's shortcut). */
  answered?: { has(key: string): boolean; add(key: string): unknown };
};

/** A wording this close to the label's nearest one adds nothing new to match on. */
const REPEAT_SCORE = 0.92;
/** Wordings kept per group: enough for every way of asking, not every repeat. */
const MAX_MESSAGES_PER_GROUP = 64;
const MAX_REPLIES_PER_GROUP = 16;
/** CPU time placement runs before letting other work in this process (requests) have a turn. */
const YIELD_EVERY_MS = 20;

function answerKey(label: number, words: AnalyzedText): string {
  return `${label}:${words.map((w) => w.stem).join(" ")}`;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

// Two writers cannot run here at once (the grouping lock); ON CONFLICT still meets an older group
// with the same normalised text (the hash is unique), which is then the group.
const CREATE_GROUP_SQL = `
INSERT INTO prompt_groups (representative, normalized, prompt_hash) VALUES ($1, $2, $3)
ON CONFLICT (prompt_hash) DO UPDATE SET prompt_hash = EXCLUDED.prompt_hash
RETURNING id`;

/**
 * Places replays in prompt groups with the meaning engine, in order, each seeing the ones before
 * it: a pin wins; else the engine's decision (lib/meaning/question-clusters.ts); else a new group.
 * New wordings and replies are added to the index and written to meaning_documents. The caller
 * holds the grouping lock and commits; on failure it must forget the live index.
 */
export async function placeReplays(executor: Queryable, target: PlacementTarget, replays: PendingReplay[]): Promise<Placement[]> {
  const placements: Placement[] = [];
  const docs: { group: string; replay: string; kind: "message" | "reply"; text: string }[] = [];
  let lastYield = performance.now();
  for (const replay of replays) {
    const normalized = normalizePrompt(replay.message);
    let label: number | null = null;
    let match: LabelMatch | undefined;
    const repeat = target.seen?.get(normalized) ?? target.clusters.labelOfWording(normalized);
    if (replay.pinnedGroup) label = target.labelFor(replay.pinnedGroup);
    else if (repeat !== undefined) label = repeat;
    else {
      const decision = target.clusters.decide(replay.message, replay.feedback ? replay.agentReply : null);
      label = decision.label;
      match = decision.match;
    }
    if (label === null) {
      const reused = target.reuseGroup?.(replay);
      if (reused) label = target.labelFor(reused);
      else {
        const { rows } = await executor.query(CREATE_GROUP_SQL, [replay.message, normalized, replay.promptHash]);
        label = target.labelFor(String(rows[0]!.id));
      }
    }
    target.seen?.set(normalized, label);
    target.clusters.rememberWording(normalized, label);
    const groupId = target.groupOf(label);
    placements.push({ replayId: replay.id, groupId });
    const members = target.clusters.membersOf(label).length;
    const isRepeat = repeat !== undefined || (match !== undefined && match.label === label && match.score >= REPEAT_SCORE && match.docCoverage >= REPEAT_SCORE);
    if (!isRepeat && members < MAX_MESSAGES_PER_GROUP && normalized.length > 0) {
      const id = target.clusters.add(replay.message, null, label);
      target.replayOfDoc.set(id, replay.id);
      docs.push({ group: groupId, replay: replay.id, kind: "message", text: replay.message });
    }
    // A group with its replies complete keeps no more: no need to look for the same answer.
    if (replay.feedback && isUsableCompletion(replay.agentReply) && target.clusters.repliesOf(label) < MAX_REPLIES_PER_GROUP) {
      const analyzed = target.clusters.replies.analyze(replay.agentReply);
      const key = target.answered ? answerKey(label, analyzed) : "";
      if (!target.answered?.has(key)) {
        const known = target.clusters.replies.search(analyzed, { limit: 1 })[0];
        const sameAnswer = known && known.score >= REPEAT_SCORE && target.clusters.replies.labelOf(known.id) === label;
        if (!sameAnswer) {
          target.clusters.addReply(replay.agentReply, label);
          docs.push({ group: groupId, replay: replay.id, kind: "reply", text: replay.agentReply });
        }
        // The same words as the label's own first reply: that reply stays the nearest (it scores 1
        // and later ones come after it), so the answer will be the same every time.
        else if (target.answered && answerKey(label, target.clusters.replies.wordsOf(known.id)) === key) target.answered.add(key);
      }
    }
    // Long runs of placement (a regroup, a big batch) let the process serve in between.
    if (performance.now() - lastYield > YIELD_EVERY_MS) {
      await yieldToEventLoop();
      lastYield = performance.now();
    }
  }
  if (docs.length > 0) {
    await executor.query(
      `INSERT INTO meaning_documents (generation, prompt_group_id, replay_id, kind, text)
       SELECT $1, g, r, k, t FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[]) AS d(g, r, k, t)`,
      [target.generation, docs.map((d) => d.group), docs.map((d) => d.replay), docs.map((d) => d.kind), docs.map((d) => d.text)],
    );
  }
  return placements;
}
