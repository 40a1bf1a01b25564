import "server-only";
import { getPool } from "@/lib/db/client";
import { embedMessages } from "@/lib/meaning/embeddings/embed-messages";
import { groupPendingReplays } from "@/lib/meaning/group-pending-replays";
import { loadMeaningIndex } from "@/lib/meaning/load-meaning-index";

export type Correction = {
  source: "training" | "replay";
  id: string;
  /** The past customer message. */
  message: string;
  /** What the agent sent for it: their correction, or an AI reply they marked useful. */
  reply: string;
  /** 0-1: how well the question it answers explains `message` (lib/meaning/). */
  similarity: number;
  at: Date;
  /** The message's words that met the question's ("refund ~ money"), for explanations. */
  shared?: string[];
};

/** Questions (prompt groups) looked at, and corrections taken from each at most. */
const NEAREST_QUESTIONS = 5;
const PER_QUESTION = 3;
/** A question's newest "not useful" replays looked at for its corrections (index order). */
const RECENT_WINDOW = 50;
/** Relevance of a question's second, third… correction against its first. */
const FURTHER = 0.9;

type Row = { source: "training" | "replay"; id: string; message: string; reply: string; at: Date; approved: boolean; group_id: string };

// Per matched question (prompt group): its corrections, a manager's approval first, then the
// newest: among the group's newest "not useful" replays, training examples that are ready (rejected
// and merged ones never count); and its newest replays marked useful, with the reply the agent
// sent. Both walk (prompt_group_id, feedback, created_at) backwards. $2: examples held out, $3: their replays.
const BY_GROUP_SQL = `
SELECT c.* FROM unnest($1::uuid[]) AS g(id) CROSS JOIN LATERAL (
  SELECT * FROM (
    SELECT 'training' AS source, t.id, t.prompt AS message, t.completion AS reply, t.created_at AS at,
           t.review_status = 'approved' AS approved, g.id AS group_id
    FROM (SELECT id FROM feedback_replay_log WHERE prompt_group_id = g.id AND feedback = 'no' AND NOT (id = ANY($3::uuid[]))
          ORDER BY created_at DESC LIMIT ${RECENT_WINDOW}) r
    JOIN training_log t ON t.replay_id = r.id
    WHERE t.status = 'ready' AND t.review_status IN ('pending', 'approved') AND NOT (t.id = ANY($2::uuid[]))
    UNION ALL
    SELECT * FROM (
      SELECT 'replay', r.id, r.message, r.agent_reply, r.submitted_at, false, g.id
      FROM feedback_replay_log r
      WHERE r.prompt_group_id = g.id AND r.feedback = 'yes' AND r.status = 'submitted' AND length(btrim(coalesce(r.agent_reply, ''))) >= 2
        AND NOT (r.id = ANY($3::uuid[]))
      ORDER BY r.created_at DESC LIMIT ${PER_QUESTION}
    ) y
  ) u ORDER BY approved DESC, at DESC LIMIT ${PER_QUESTION}
) c`;

/**
 * Agents' replies to past questions that mean what `message` means, best first: the meaning engine
 * matches the message against every prompt group's wordings (lib/meaning/), each matched question
 * brings its corrections (a manager's approval first, then the newest: policies change, the
 * latest answer is the team's current one). `minSimilarity` is the least match score (0-1). Replays stored a moment ago are grouped
 * first, so a correction committed before the call counts.
 */
export async function findSimilarCorrections({
  message,
  limit,
  minSimilarity,
  excludeTrainingIds = [],
}: {
  message: string;
  limit: number;
  minSimilarity: number;
  /** Training examples not to learn from: the retrain's evaluation holds its validation split out. */
  excludeTrainingIds?: string[];
}): Promise<Correction[]> {
  if (limit <= 0) return [];
  await groupPendingReplays({ waitMs: 300, maxBatches: 1 }).catch((error: unknown) =>
    console.error("[grouping]", error instanceof Error ? error.message : error),
  );
  const state = await loadMeaningIndex();
  await embedMessages(state.clusters, [message]); // with embeddings on: the message's vector, before the match
  const pool = getPool();
  let heldOut = new Set<string>();
  if (excludeTrainingIds.length > 0) {
    const { rows } = await pool.query<{ replay_id: string }>("SELECT replay_id FROM training_log WHERE id = ANY($1::uuid[]) AND replay_id IS NOT NULL", [excludeTrainingIds]);
    heldOut = new Set(rows.map((r) => r.replay_id));
  }
  const skip = heldOut.size > 0 ? (id: number) => heldOut.has(state.replayOfDoc.get(id) ?? "") : undefined;
  const matches = state.clusters.match(message, { limit: NEAREST_QUESTIONS, skip }).filter((m) => m.score >= minSimilarity - 1e-9);
  if (matches.length === 0) return [];
  const groups = matches.map((m) => state.groupOfLabel[m.label]!);
  const { rows } = await pool.query<Row>(BY_GROUP_SQL, [groups, excludeTrainingIds, [...heldOut]]);
  const byGroup = new Map<string, Row[]>();
  for (const row of rows) byGroup.set(row.group_id, [...(byGroup.get(row.group_id) ?? []), row]);
  // Best first: a question's corrections in its order (approved, then newest), each further one
  // of the same question counting a little less, so a much closer question brings several before
  // a weaker one brings its first.
  const ranked = matches.flatMap((match) =>
    (byGroup.get(state.groupOfLabel[match.label]!) ?? []).map((row, round) => ({ match, row, rank: match.score * FURTHER ** round })),
  );
  ranked.sort((a, b) => b.rank - a.rank);
  const corrections: Correction[] = [];
  const seen = new Set<string>();
  for (const { match, row } of ranked) {
    if (seen.has(row.id)) continue;
    seen.add(row.id);
    corrections.push({
      source: row.source,
      id: row.id,
      message: row.message,
      reply: row.reply,
      similarity: Math.round(match.score * 1000) / 1000,
      at: row.at,
      shared: match.shared.map((s) => (s.exact ? s.word : `${s.word} ~ ${s.via}`)),
    });
    if (corrections.length >= limit) break;
  }
  return corrections;
}
