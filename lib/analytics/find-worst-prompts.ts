import "server-only";
import { getPool } from "@/lib/db/client";
import { filterParams, REPLAY_FILTER_SQL } from "@/lib/analytics/rollup-filter";
import type { DashboardFilters } from "@/lib/analytics/schemas";
import { readTrainingSettings } from "@/lib/training/read-training-settings";
import { redactPii } from "@/lib/training/redact-pii";

export type WorstPrompt = {
  /** The group's key: the prompt group (lib/training), or the normalised-message hash before grouping ran. */
  group: string;
  /** The prompt group's id, for the link to its review queue; null for rows not grouped yet. */
  groupId: string | null;
  notUseful: number;
  topic: string | null;
  lastSeen: string;
  /** The latest customer message of the group, redacted as training examples are (emails, phones, the configured ids…); render as text only. */
  example: string;
};

/**
 * Prompt groups with the most "not useful" in the range, grouped as the training pipeline groups
 * them (prompt_group_id: near-duplicates merged); replays not grouped yet fall back to their
 * normalised-message hash. The example message is the group's latest within the same filters,
 * redacted: the dashboard, its table and its CSV show no more personal data than the review does.
 */
export async function findWorstPrompts(filters: DashboardFilters, limit = 10): Promise<WorstPrompt[]> {
  const { rows } = await getPool().query(
    `SELECT coalesce(g.group_id::text, g.hash) AS "group", g.group_id, g.not_useful,
            to_char(g.last_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS last_seen, e.topic, left(e.message, 500) AS example
     FROM (
       SELECT prompt_group_id AS group_id, CASE WHEN prompt_group_id IS NULL THEN prompt_hash END AS hash,
              count(*)::int AS not_useful, max(created_at) AS last_seen
       FROM feedback_replay_log
       WHERE feedback = 'no' AND ${REPLAY_FILTER_SQL}
       GROUP BY 1, 2
       ORDER BY count(*) DESC, 1, 2
       LIMIT $6
     ) g
     CROSS JOIN LATERAL (
       SELECT topic, message FROM feedback_replay_log r
       WHERE (r.prompt_group_id = g.group_id OR (g.group_id IS NULL AND r.prompt_group_id IS NULL AND r.prompt_hash = g.hash))
         AND r.feedback = 'no' AND ${REPLAY_FILTER_SQL}
       ORDER BY r.created_at DESC LIMIT 1
     ) e
     ORDER BY g.not_useful DESC, 1`,
    [...filterParams(filters), limit],
  );
  const { idPatterns } = readTrainingSettings();
  return rows.map((r) => ({
    group: r.group,
    groupId: r.group_id,
    notUseful: r.not_useful,
    topic: r.topic,
    lastSeen: r.last_seen,
    example: redactPii(r.example, { idPatterns }).text,
  }));
}
