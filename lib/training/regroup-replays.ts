import "server-only";
import { getPool } from "@/lib/db/client";
import { readEnv } from "@/lib/env";
import { assignPromptGroup } from "@/lib/training/assign-prompt-group";

/**
 * Backfills prompt groups: replays stored before grouping existed, or by a path that does not group
 * (the seed, queued replays). Oldest first, so a group's representative is its first message.
 * `all` forgets every group and regroups from scratch (after changing GROUP_SIMILARITY).
 * Safe to run twice and beside the app: each batch only touches replays that still have no group.
 */
export async function regroupReplays({
  all = false,
  batchSize = 500,
  similarity = readEnv().GROUP_SIMILARITY,
  onProgress,
}: {
  all?: boolean;
  batchSize?: number;
  similarity?: number;
  onProgress?: (done: number) => void;
} = {}): Promise<{ replays: number; groups: number }> {
  const pool = getPool();
  if (all) {
    // ON DELETE SET NULL clears every replay's group in the same statement; the examples carry a
    // copy of their group, so they are prepared again before the next export.
    await pool.query("DELETE FROM prompt_groups");
    await pool.query("UPDATE training_log SET prepared_with = NULL WHERE prepared_with IS NOT NULL");
  }
  const before = await countGroups();
  let done = 0;
  for (;;) {
    const { rows } = await pool.query<{ id: string; message: string }>(
      `SELECT id, message FROM feedback_replay_log WHERE prompt_group_id IS NULL ORDER BY created_at, id LIMIT $1`,
      [batchSize],
    );
    if (rows.length === 0) break;
    const ids: string[] = [];
    const groups: string[] = [];
    for (const row of rows) {
      ids.push(row.id);
      groups.push(await assignPromptGroup(row.message, { similarity }));
    }
    await pool.query(
      `UPDATE feedback_replay_log r SET prompt_group_id = g.group_id
       FROM unnest($1::uuid[], $2::uuid[]) AS g(id, group_id)
       WHERE r.id = g.id AND r.prompt_group_id IS NULL`,
      [ids, groups],
    );
    // Their examples copied "no group" when prepared: prepare them again.
    await pool.query("UPDATE training_log SET prepared_with = NULL WHERE replay_id = ANY($1::uuid[]) AND prepared_with IS NOT NULL", [ids]);
    done += rows.length;
    onProgress?.(done);
  }
  return { replays: done, groups: (await countGroups()) - before };
}

async function countGroups(): Promise<number> {
  const { rows } = await getPool().query("SELECT count(*)::int AS n FROM prompt_groups");
  return rows[0].n;
}
