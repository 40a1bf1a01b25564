import "server-only";
import { getPool } from "@/lib/db/client";

export type GroupingStatus = {
  /** Submitted replays the grouping has not placed yet (they count from the next grouping on). */
  waiting: number;
  /** The oldest of them. */
  waitingSince: Date | null;
  /** When the grouping last placed a replay (its newest meaning document); null before the first. */
  lastGroupedAt: Date | null;
};

// Both over indexes: the partial index of ungrouped replays, and meaning_documents' primary key
// read backwards (its newest row). Reads only: the grouping itself belongs to ingest and the job.
const STATUS_SQL = `
SELECT count(*)::int AS waiting, min(created_at) AS waiting_since,
  (SELECT created_at FROM meaning_documents ORDER BY id DESC LIMIT 1) AS last_grouped_at
FROM feedback_replay_log WHERE prompt_group_id IS NULL AND status = 'submitted'`;

/** How up to date the stored prompt grouping is, for a page that counts on it without grouping. */
export async function readGroupingStatus(): Promise<GroupingStatus> {
  const { rows } = await getPool().query(STATUS_SQL);
  const row = rows[0]!;
  return { waiting: row.waiting, waitingSince: row.waiting_since, lastGroupedAt: row.last_grouped_at };
}
