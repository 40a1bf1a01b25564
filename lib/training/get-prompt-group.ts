import "server-only";
import { getPool } from "@/lib/db/client";
import { explainGroup, type WordingReason } from "@/lib/meaning/explain-group";
import type { Match } from "@/lib/meaning/meaning-index";
import { groupPendingReplays } from "@/lib/meaning/group-pending-replays";
import { readTrainingSettings } from "@/lib/training/read-training-settings";
import { redactPii } from "@/lib/training/redact-pii";

type Shared = Match["shared"];
/** Least strength of a concept link shown as a reason (a definition word against the word itself ≈ 0.5, two definitions sharing a word ≈ 0.2). */
const SHOWN_LINK = 0.3;

/** One wording of a group: every replay whose normalised message is the same (prompt_hash). */
export type PromptGroupWording = {
  hash: string;
  /** Its first message, redacted. */
  text: string;
  replays: number;
  noCount: number;
  yesCount: number;
  /** A manager put it here (prompt_group_pins): a regroup keeps it. */
  pinned: boolean;
  /** Why it is here; `nearestText` is the closest wording's (redacted) text. */
  reason: { kind: "alone" } | (Exclude<WordingReason, { kind: "alone" }> & { nearestText: string });
};

export type PromptGroupDetail = {
  id: string;
  representative: string;
  replays: number;
  noCount: number;
  wordingCount: number;
  wordings: PromptGroupWording[];
  /** Groups the engine finds close (merge candidates), redacted. */
  nearby: { id: string; representative: string; replays: number; noCount: number; score: number; shared: Shared }[];
};

// The group's wordings, most "not useful" first, each with its first message and one agent reply
// (a reply link's evidence): one pass over the group's replays, sorted once per part. All time: a
// move takes every replay of a wording.
const WORDINGS_SQL = `
WITH r AS (
  SELECT prompt_hash, message, customer_name, agent_reply, feedback, created_at, id FROM feedback_replay_log WHERE prompt_group_id = $1
), counts AS (
  SELECT prompt_hash, count(*)::int AS replays,
         count(*) FILTER (WHERE feedback = 'no')::int AS no_count, count(*) FILTER (WHERE feedback = 'yes')::int AS yes_count,
         count(*) OVER ()::int AS wordings, sum(count(*)) OVER ()::int AS total, sum(count(*) FILTER (WHERE feedback = 'no')) OVER ()::int AS total_no
  FROM r GROUP BY prompt_hash ORDER BY no_count DESC, replays DESC, prompt_hash LIMIT $2
), firsts AS (
  SELECT DISTINCT ON (prompt_hash) prompt_hash, message, customer_name FROM r
  WHERE prompt_hash IN (SELECT prompt_hash FROM counts) ORDER BY prompt_hash, created_at, id
), replies AS (
  SELECT DISTINCT ON (prompt_hash) prompt_hash, agent_reply FROM r
  WHERE prompt_hash IN (SELECT prompt_hash FROM counts) AND feedback IS NOT NULL AND agent_reply IS NOT NULL
  ORDER BY prompt_hash, feedback = 'no' DESC, created_at DESC, id
)
SELECT c.*, f.message, f.customer_name, a.agent_reply, (p.prompt_hash IS NOT NULL) AS pinned
FROM counts c JOIN firsts f USING (prompt_hash) LEFT JOIN replies a USING (prompt_hash)
LEFT JOIN prompt_group_pins p ON p.prompt_hash = c.prompt_hash AND p.prompt_group_id = $1
ORDER BY c.no_count DESC, c.replays DESC, c.prompt_hash`;

const GROUPS_SQL = `
SELECT g.id, g.representative,
  (SELECT customer_name FROM feedback_replay_log r WHERE r.prompt_group_id = g.id AND r.customer_name IS NOT NULL LIMIT 1) AS customer_name,
  (SELECT count(*)::int FROM feedback_replay_log r WHERE r.prompt_group_id = g.id) AS replays,
  (SELECT count(*)::int FROM feedback_replay_log r WHERE r.prompt_group_id = g.id AND r.feedback = 'no') AS no_count
FROM prompt_groups g WHERE g.id = ANY($1::uuid[])`;

/** Letters-only words of `text` that redaction took out (a name, an email's parts). */
function removedWords(original: string, redacted: string): Set<string> {
  const kept = new Set(redacted.toLowerCase().match(/\p{L}+/gu) ?? []);
  return new Set((original.toLowerCase().match(/\p{L}+/gu) ?? []).filter((w) => !kept.has(w)));
}

/**
 * One prompt group for the manager's page: its wordings (redacted, as the review shows them) with
 * why each is in the group, and the nearby groups one might merge it with. Null if it is gone.
 */
export async function getPromptGroup({ id, limit = 100 }: { id: string; limit?: number }): Promise<PromptGroupDetail | null> {
  await groupPendingReplays({ waitMs: 30_000 });
  const pool = getPool();
  const { rows: head } = await pool.query<{ id: string; representative: string }>("SELECT id, representative FROM prompt_groups WHERE id = $1", [id]);
  if (!head[0]) return null;
  const { rows } = await pool.query(WORDINGS_SQL, [id, limit]);
  const { idPatterns } = readTrainingSettings();
  const redact = (text: string, name: string | null) => redactPii(text, { names: [name], idPatterns }).text;

  const { reasons, nearby } = await explainGroup({
    groupId: id,
    wordings: rows.map((r) => ({ key: r.prompt_hash, message: r.message, reply: r.agent_reply })),
  });
  const texts = new Map<string, string>(rows.map((r) => [r.prompt_hash, redact(r.message, r.customer_name)]));
  const hidden = new Set(rows.flatMap((r) => [...removedWords(r.message, texts.get(r.prompt_hash)!)]));
  // Words that redaction removed from the texts are not shown as shared terms either.
  // Concept links as weak as "card ~ age" (two WordNet definitions that share a word) count in the
  // score but explain nothing to a manager: shown are the same words and the strong links, or the
  // strongest link alone when that is all there is.
  const visible = (shared: Shared) => {
    const shown = shared.filter((s) => !hidden.has(s.word) && !hidden.has(s.via));
    const clear = shown.filter((s) => s.exact || s.strength >= SHOWN_LINK);
    if (clear.length > 0 || shown.length === 0) return clear;
    return [shown.reduce((a, b) => (b.strength > a.strength ? b : a))];
  };

  const wordings: PromptGroupWording[] = rows.map((r) => {
    const reason = reasons.get(r.prompt_hash) ?? { kind: "alone" as const };
    return {
      hash: r.prompt_hash,
      text: texts.get(r.prompt_hash)!,
      replays: r.replays,
      noCount: r.no_count,
      yesCount: r.yes_count,
      pinned: r.pinned,
      reason: reason.kind === "alone" ? reason : { ...reason, shared: visible(reason.shared), nearestText: texts.get(reason.nearest) ?? "" },
    };
  });

  const { rows: others } = await pool.query(GROUPS_SQL, [nearby.map((n) => n.groupId)]);
  const byId = new Map(others.map((o) => [o.id as string, o]));
  const representative = redact(head[0].representative, rows.find((r) => r.customer_name)?.customer_name ?? null);
  return {
    id,
    representative,
    replays: rows[0]?.total ?? 0,
    noCount: rows[0]?.total_no ?? 0,
    wordingCount: rows[0]?.wordings ?? 0,
    wordings,
    nearby: nearby.flatMap((n) => {
      const o = byId.get(n.groupId);
      if (!o || o.replays === 0) return [];
      const text = redact(o.representative, o.customer_name);
      const hide = removedWords(o.representative, text);
      return [{ id: n.groupId, representative: text, replays: o.replays, noCount: o.no_count, score: n.score, shared: visible(n.shared).filter((s) => !hide.has(s.via)) }];
    }),
  };
}
