import "server-only";
import { getPool } from "@/lib/db/client";
import { findNearestKeys } from "@/lib/ai/find-nearest-keys";

export type Correction = {
  source: "training" | "replay";
  id: string;
  /** The past customer message. */
  message: string;
  /** What the agent sent for it: their correction, or an AI reply they marked useful. */
  reply: string;
  /** 0-1: trigram similarity of the retrieval keys (stemmed content words). */
  similarity: number;
  at: Date;
};

/** Nearest distinct keys looked at; each brings its newest examples. */
const NEAREST_KEYS = 8;

// The one place that decides which past replies the models learn from at once:
//   - training examples that are ready (an agent's better reply to a "not useful"); a manager's
//     approval puts an example first among equally similar ones, rejected and merged ones never count,
//   - replays marked useful, with the reply the agent sent.
// The nearest keys come from findNearestKeys (an in-memory trigram index of retrieval_keys); here
// PostgreSQL recomputes their similarity with pg_trgm and finds each key's newest examples through
// the expression indexes; equal similarity → the approved, then the newest correction wins.
const FIND_SQL = `
WITH k AS MATERIALIZED (
  SELECT key, similarity(key, $4) AS similarity FROM unnest($5::text[]) AS key
  WHERE similarity(key, $4) >= $2
)
SELECT source, id, message, reply, similarity, at FROM (
  SELECT 'training' AS source, t.id, t.prompt AS message, t.completion AS reply, k.similarity, t.created_at AS at, t.approved
  FROM k CROSS JOIN LATERAL (
    SELECT id, prompt, completion, created_at, review_status = 'approved' AS approved FROM training_log
    WHERE retrieval_key(prompt) = k.key AND status = 'ready' AND review_status IN ('pending', 'approved')
      AND NOT (id = ANY($3::uuid[]))
    ORDER BY review_status = 'approved' DESC, created_at DESC LIMIT $1
  ) t
  UNION ALL
  SELECT 'replay', r.id, r.message, r.agent_reply, k.similarity, r.submitted_at, false
  FROM k CROSS JOIN LATERAL (
    SELECT id, message, agent_reply, submitted_at FROM feedback_replay_log
    WHERE retrieval_key(message) = k.key AND feedback = 'yes' AND status = 'submitted'
      AND length(btrim(coalesce(agent_reply, ''))) >= 2
    ORDER BY submitted_at DESC LIMIT $1
  ) r
) c
ORDER BY round(similarity::numeric, 2) DESC, approved DESC, at DESC
LIMIT $1`;

/** Agents' final replies to past messages like `message`, most similar (then newest) first. */
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
  const { key, nearest } = await findNearestKeys({ message, limit: NEAREST_KEYS, minSimilarity });
  if (nearest.length === 0) return [];
  const { rows } = await getPool().query(FIND_SQL, [limit, minSimilarity, excludeTrainingIds, key, nearest.map((n) => n.key)]);
  return rows.map((r) => ({
    source: r.source,
    id: r.id,
    message: r.message,
    reply: r.reply,
    similarity: Number(r.similarity),
    at: r.at,
  }));
}
