import "server-only";
import { getPool } from "@/lib/db/client";
import { filterParams, REPLAY_FILTER_SQL } from "@/lib/analytics/rollup-filter";
import type { DashboardFilters } from "@/lib/analytics/schemas";

export type WorstPrompt = {
  /** The group's key: today the normalised-message hash (prompt_hash). */
  group: string;
  notUseful: number;
  topic: string | null;
  lastSeen: string;
  /** The latest customer message of the group: personal data, render as text only. */
  example: string;
};

/**
 * Prompt groups with the most "not useful" in the range. The grouping column lives only in this query:
 * swap `prompt_hash` for a prompt-group id to group differently. Reads the partial index on
 * not-useful replays; the example message is the group's latest within the same filters.
 */
export async function findWorstPrompts(filters: DashboardFilters, limit = 10): Promise<WorstPrompt[]> {
  const { rows } = await getPool().query(
    `SELECT g.prompt_hash AS "group", g.not_useful, to_char(g.last_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS last_seen,
            e.topic, left(e.message, 500) AS example
     FROM (
       SELECT prompt_hash, count(*)::int AS not_useful, max(created_at) AS last_seen
       FROM feedback_replay_log
       WHERE feedback = 'no' AND ${REPLAY_FILTER_SQL}
       GROUP BY prompt_hash
       ORDER BY count(*) DESC, prompt_hash
       LIMIT $6
     ) g
     CROSS JOIN LATERAL (
       SELECT topic, message FROM feedback_replay_log r
       WHERE r.prompt_hash = g.prompt_hash AND r.feedback = 'no' AND ${REPLAY_FILTER_SQL}
       ORDER BY r.created_at DESC LIMIT 1
     ) e
     ORDER BY g.not_useful DESC, g.prompt_hash`,
    [...filterParams(filters), limit],
  );
  return rows.map((r) => ({ group: r.group, notUseful: r.not_useful, topic: r.topic, lastSeen: r.last_seen, example: r.example }));
}
