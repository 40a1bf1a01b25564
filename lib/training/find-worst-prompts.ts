import "server-only";
import { getPool } from "@/lib/db/client";
import { readEnv } from "@/lib/env";
import { groupPendingReplays } from "@/lib/meaning/group-pending-replays";

export type WorstPrompt = {
  groupId: string;
  representative: string;
  noCount: number;
  yesCount: number;
  /** yes / (yes + no) in the window. */
  usefulRate: number;
  /** Helpdesk topics of the "not useful" replays, most frequent first. */
  topics: { topic: string; count: number }[];
  /** Training examples of the group still waiting for a manager's review. */
  pendingReview: number;
};

// The first CTE is the counting: one pass over (prompt_group_id, feedback, created_at), already in
// group order, so no sort. Yes counts, topics and pending reviews are then looked up only for the
// few groups that made the cut.
const WORST_SQL = `
WITH worst AS (
  SELECT prompt_group_id AS group_id, count(*)::int AS no_count
  FROM feedback_replay_log
  WHERE feedback = 'no' AND created_at >= $1 AND prompt_group_id IS NOT NULL
  GROUP BY prompt_group_id
  HAVING count(*) > $2
  ORDER BY no_count DESC, prompt_group_id
  LIMIT $3
)
SELECT g.id, g.representative, w.no_count,
  (SELECT count(*)::int FROM feedback_replay_log r
     WHERE r.prompt_group_id = w.group_id AND r.feedback = 'yes' AND r.created_at >= $1) AS yes_count,
  (SELECT coalesce(json_agg(json_build_object('topic', topic, 'count', n) ORDER BY n DESC, topic), '[]')
     FROM (SELECT topic, count(*)::int AS n FROM feedback_replay_log r
           WHERE r.prompt_group_id = w.group_id AND r.feedback = 'no' AND r.created_at >= $1 AND topic IS NOT NULL
           GROUP BY topic ORDER BY n DESC LIMIT 5) t) AS topics,
  (SELECT count(*)::int FROM feedback_replay_log r JOIN training_log t ON t.replay_id = r.id
     WHERE r.prompt_group_id = w.group_id AND r.feedback = 'no' AND t.review_status = 'pending') AS pending_review
FROM worst w JOIN prompt_groups g ON g.id = w.group_id
ORDER BY w.no_count DESC, g.id`;

/**
 * Prompt groups whose count of "not useful" since `since` is strictly greater than `threshold`
 * (WORST_PROMPT_THRESHOLD, default 5), worst first.
 * `groupFirst` (default): replays stored a moment ago are grouped before counting, which writes
 * (prompt groups, meaning documents). `groupFirst: false` counts the grouping as stored and writes
 * nothing: for a page view such as /retrain's estimate (the job groups before it builds a dataset).
 */
export async function findWorstPrompts({
  since = defaultSince(),
  threshold = readEnv().WORST_PROMPT_THRESHOLD,
  limit = 500,
  groupFirst = true,
}: { since?: Date; threshold?: number; limit?: number; groupFirst?: boolean } = {}): Promise<WorstPrompt[]> {
  // Replays stored a moment ago count in their group (grouping runs in the background).
  if (groupFirst) await groupPendingReplays({ waitMs: 30_000 });
  const { rows } = await getPool().query(WORST_SQL, [since, threshold, limit]);
  return rows.map((r) => ({
    groupId: r.id,
    representative: r.representative,
    noCount: r.no_count,
    yesCount: r.yes_count,
    usefulRate: r.yes_count / (r.yes_count + r.no_count),
    topics: r.topics,
    pendingReview: r.pending_review,
  }));
}

/** The start of the default window: WORST_PROMPT_WINDOW_DAYS ago. */
export function defaultSince(days = readEnv().WORST_PROMPT_WINDOW_DAYS, now = Date.now()): Date {
  return new Date(now - days * 86_400_000);
}
