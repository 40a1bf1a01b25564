import "server-only";
import { loadMeaningIndex } from "@/lib/meaning/load-meaning-index";
import type { AnalyzedText } from "@/lib/meaning/analyze-text";
import { QUERY_SHARE, type MeaningIndex, type Match } from "@/lib/meaning/meaning-index";

export type GroupWording = { key: string; message: string; reply: string | null };

/**
 * Why one wording shares its group, against the group's other wordings:
 * - `words`: its closest wording explains it at least as well as the join score needs (GROUP_SIMILARITY);
 * - `reply`: the agents answered it and `nearest` with near-identical replies (a reply link);
 * - `loose`: nothing reaches the join score now (it joined a wording since moved, or under other
 *   settings, or a manager put it here); `nearest` is still the closest;
 * - `alone`: the group's only wording, or nothing in common with the others.
 */
type Compared = Omit<Match, "id">;

/** Wordings (the first, i.e. the caller's most important) each one is compared with: pairs cost ~0.1 ms. */
const MAX_CANDIDATES = 30;

/** A nearby group scores at least this share of the join score. */
const NEARBY_SHARE = 0.6;

/** As a join scores it (searchLabels, combine "member"), the better of the two directions. */
function joinMatch(index: MeaningIndex, a: AnalyzedText, b: AnalyzedText): Compared {
  const score = (m: Compared) => m.queryCoverage ** QUERY_SHARE * m.docCoverage ** (1 - QUERY_SHARE);
  const ab = index.compare(a, b);
  const ba = index.compare(b, a);
  // The shared words are always this wording's (a), whichever direction scored better.
  return { ...ab, score: Math.max(score(ab), score(ba)) };
}

export type WordingReason =
  | { kind: "words" | "loose"; nearest: string; score: number; shared: Match["shared"] }
  | { kind: "reply"; nearest: string; shared: Match["shared"] }
  | { kind: "alone" };

/** A group the engine finds close to this one (at least 60% of the join score): a candidate to merge. */
export type NearbyGroup = { groupId: string; score: number; shared: Match["shared"]; from: string };

/**
 * Computed on demand with this process's meaning index (its term weights and vocabulary), never
 * stored: the write path stays as cheap as before, and the reasons follow the current settings.
 * The comparison is the engine's own (`MeaningIndex.compare`, scored as a join is: mostly how much
 * of the newcomer is explained), wording against wording both ways, since either may have come
 * first; so the reason shown is the best pair (among the first 30 wordings), not the order in
 * which replays arrived.
 */
export async function explainGroup({
  groupId,
  wordings,
  nearbyLimit = 6,
}: {
  groupId: string;
  wordings: GroupWording[];
  nearbyLimit?: number;
}): Promise<{ reasons: Map<string, WordingReason>; nearby: NearbyGroup[] }> {
  const state = await loadMeaningIndex();
  const { clusters } = state;
  const { joinScore, replyLink } = clusters.settings;
  const messages = wordings.map((w) => clusters.messages.analyze(w.message));
  const replies = wordings.map((w) => (w.reply && w.reply.trim().length > 1 ? clusters.replies.analyze(w.reply) : null));
  const reasons = new Map<string, WordingReason>();
  wordings.forEach((wording, i) => {
    let best: { j: number; match: Compared } | null = null;
    let link: number | null = null;
    for (let j = 0; j < Math.min(wordings.length, MAX_CANDIDATES); j++) {
      if (j === i) continue;
      const match = joinMatch(clusters.messages, messages[i]!, messages[j]!);
      if (!best || match.score > best.match.score) best = { j, match };
      const [a, b] = [replies[i], replies[j]];
      if (link === null && a && b) {
        const r = clusters.replies.compare(a, b);
        if (Math.min(r.queryCoverage, r.docCoverage) >= replyLink) link = j;
      }
    }
    if (best && best.match.score >= joinScore) {
      reasons.set(wording.key, { kind: "words", nearest: wordings[best.j]!.key, score: best.match.score, shared: best.match.shared });
    } else if (link !== null) {
      reasons.set(wording.key, { kind: "reply", nearest: wordings[link]!.key, shared: clusters.messages.compare(messages[i]!, messages[link]!).shared });
    } else if (best && best.match.score > 0) {
      reasons.set(wording.key, { kind: "loose", nearest: wordings[best.j]!.key, score: best.match.score, shared: best.match.shared });
    } else reasons.set(wording.key, { kind: "alone" });
  });

  // Other groups close to this one: each of its wordings (the first few) asks the index.
  const own = state.labelOfGroup.get(groupId);
  const nearby = new Map<string, NearbyGroup>();
  for (const wording of wordings.slice(0, 12)) {
    for (const m of clusters.match(wording.message, { limit: nearbyLimit + 1, combine: "member" })) {
      const other = state.groupOfLabel[m.label];
      // Well under the join score is another question: not worth a manager's look.
      if (m.label === own || !other || m.score < joinScore * NEARBY_SHARE) continue;
      if ((nearby.get(other)?.score ?? 0) < m.score) nearby.set(other, { groupId: other, score: m.score, shared: m.shared, from: wording.key });
    }
  }
  return { reasons, nearby: [...nearby.values()].sort((a, b) => b.score - a.score).slice(0, nearbyLimit) };
}
