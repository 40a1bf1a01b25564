import "server-only";
import { getPool } from "@/lib/db/client";
import { readEnv } from "@/lib/env";
import { attachMessageVectors } from "@/lib/meaning/embeddings/attach-message-vectors";
import { embedMessages } from "@/lib/meaning/embeddings/embed-messages";
import { clusterSettings, engineFingerprint } from "@/lib/meaning/engine-fingerprint";
import { groupPendingReplays } from "@/lib/meaning/group-pending-replays";
import { GROUPING_LOCK } from "@/lib/meaning/grouping-lock";
import { placeReplays, type PendingReplay } from "@/lib/meaning/place-replays";
import { QuestionClusters } from "@/lib/meaning/question-clusters";

// Every submitted replay, oldest first, a page at a time (the submitted index, scanned backwards).
const PAGE_SQL = `
SELECT r.id, r.message, r.agent_reply, r.feedback, r.prompt_hash, r.prompt_group_id AS previous,
       p.prompt_group_id AS pinned, to_char(r.submitted_at, 'YYYY-MM-DD"T"HH24:MI:SS.USOF') AS at
FROM feedback_replay_log r LEFT JOIN prompt_group_pins p ON p.prompt_hash = r.prompt_hash
WHERE r.status = 'submitted' AND ($1::timestamptz IS NULL OR (r.submitted_at, r.id) > ($1::timestamptz, $2::uuid))
ORDER BY r.submitted_at, r.id LIMIT $3`;

const MOVE_SQL = `
WITH g AS (SELECT * FROM unnest($1::uuid[], $2::uuid[]) AS g(id, group_id)),
u AS (
  UPDATE feedback_replay_log r SET prompt_group_id = g.group_id FROM g
  WHERE r.id = g.id AND r.prompt_group_id IS DISTINCT FROM g.group_id RETURNING r.id
)
UPDATE training_log SET prepared_with = NULL WHERE replay_id IN (SELECT id FROM u) AND prepared_with IS NOT NULL`;

/** Repeats remembered by a regroup (wordings, replies): bounded, so memory stays flat at any size. */
const SHORTCUTS_KEPT = 100_000;

/** A map that forgets its least recently used keys beyond `limit`; as a set, `add`/`has`. */
class RecentMap<K, V> {
  private map = new Map<K, V>();
  constructor(private readonly limit: number) {}
  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }
  set(key: K, value: V) {
    this.map.delete(key);
    if (this.map.size >= this.limit) this.map.delete(this.map.keys().next().value!);
    this.map.set(key, value);
  }
  has(key: K): boolean {
    return this.get(key) !== undefined;
  }
  add(key: K) {
    this.set(key, true as V);
  }
}

export type RegroupResult = { replays: number; groups: number; regrouped: boolean };

/**
 * Brings prompt grouping up to date. When the stored grouping was made by this engine with these
 * settings, that only groups the pending replays. Otherwise (or with `all`) every replay is placed
 * again with a fresh index, oldest first, in pages, writing the next generation of
 * meaning_documents; a group keeps its id when its first member had it, and a manager's pins
 * hold. The app keeps working meanwhile: suggestions use the previous generation until the new one
 * is complete, and new replays wait (ungrouped, still counted by wording) until it is.
 */
export async function regroupReplays({
  all = false,
  batchSize = 2000,
  onProgress,
}: { all?: boolean; batchSize?: number; onProgress?: (done: number, total: number) => void } = {}): Promise<RegroupResult> {
  const settings = clusterSettings(readEnv().GROUP_SIMILARITY);
  const fingerprint = engineFingerprint(settings);
  const pool = getPool();
  const { rows: state } = await pool.query<{ engine: string; generation: number }>("SELECT engine, generation FROM meaning_state WHERE id = 1");
  if (!all && state[0]?.engine === fingerprint) {
    const pending = await groupPendingReplays({ waitMs: 60_000, onProgress: (n) => onProgress?.(n, n) });
    return { replays: pending.grouped, groups: 0, regrouped: false };
  }
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [GROUPING_LOCK]);
    const { rows: head } = await client.query<{ generation: number; total: number; groups: number }>(
      `SELECT s.generation, (SELECT count(*)::int FROM feedback_replay_log WHERE status = 'submitted') AS total,
              (SELECT count(*)::int FROM prompt_groups) AS groups
       FROM meaning_state s WHERE s.id = 1`,
    );
    const next = (head[0]?.generation ?? 1) + 1;
    const total = head[0]?.total ?? 0;
    await client.query("DELETE FROM meaning_documents WHERE generation = $1", [next]);
    await client.query("UPDATE meaning_state SET regrouping = $1, regroup_done = 0, regroup_total = $2, updated_at = now() WHERE id = 1", [next, total]);
    const clusters = new QuestionClusters(settings);
    attachMessageVectors(clusters);
    const labelOfGroup = new Map<string, number>();
    const groupOfLabel: string[] = [];
    const claimed = new Set<string>();
    const labelFor = (groupId: string) => {
      let label = labelOfGroup.get(groupId);
      if (label === undefined) {
        label = clusters.newLabel();
        labelOfGroup.set(groupId, label);
        groupOfLabel[label] = groupId;
        claimed.add(groupId);
      }
      return label;
    };
    const target = {
      clusters,
      generation: next,
      labelFor,
      groupOf: (label: number) => groupOfLabel[label]!,
      replayOfDoc: new Map<number, string>(),
      seen: new RecentMap<string, number>(SHORTCUTS_KEPT),
      answered: new RecentMap<string, true>(SHORTCUTS_KEPT),
      reuseGroup: (replay: PendingReplay) => (replay.previousGroup && !claimed.has(replay.previousGroup) ? replay.previousGroup : null),
    };
    let after: [string | null, string | null] = [null, null];
    let done = 0;
    for (;;) {
      const { rows } = await client.query<{
        id: string;
        message: string;
        agent_reply: string | null;
        feedback: "yes" | "no" | null;
        prompt_hash: string;
        previous: string | null;
        pinned: string | null;
        at: string;
      }>(PAGE_SQL, [after[0], after[1], batchSize]);
      if (rows.length === 0) break;
      await embedMessages(clusters, rows.map((r) => r.message)); // no transaction is open here
      const placements = await placeReplays(
        client,
        target,
        rows.map((r) => ({
          id: r.id,
          message: r.message,
          agentReply: r.agent_reply,
          feedback: r.feedback,
          promptHash: r.prompt_hash,
          pinnedGroup: r.pinned,
          previousGroup: r.previous,
        })),
      );
      await client.query(MOVE_SQL, [placements.map((p) => p.replayId), placements.map((p) => p.groupId)]);
      done += rows.length;
      await client.query("UPDATE meaning_state SET regroup_done = $1, updated_at = now() WHERE id = 1", [done]);
      onProgress?.(done, total);
      const last: { at: string; id: string } = rows[rows.length - 1]!;
      after = [last.at, last.id];
      if (rows.length < batchSize) break;
    }
    await client.query("BEGIN");
    await client.query("UPDATE meaning_state SET generation = $1, engine = $2, revision = 0, regrouping = NULL, updated_at = now() WHERE id = 1", [next, fingerprint]);
    await client.query("DELETE FROM meaning_documents WHERE generation <> $1", [next]);
    // Groups nothing points at any more (merged into another by the new grouping).
    await client.query(
      `DELETE FROM prompt_groups g WHERE NOT EXISTS (SELECT 1 FROM feedback_replay_log r WHERE r.prompt_group_id = g.id)
         AND NOT EXISTS (SELECT 1 FROM prompt_group_pins p WHERE p.prompt_group_id = g.id)`,
    );
    const { rows: count } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM prompt_groups");
    await client.query("COMMIT");
    await client.query("SELECT pg_advisory_unlock($1)", [GROUPING_LOCK]);
    await groupPendingReplays({ waitMs: 60_000 });
    return { replays: done, groups: (count[0]?.n ?? 0) - (head[0]?.groups ?? 0), regrouped: true };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    await client.query("UPDATE meaning_state SET regrouping = NULL WHERE id = 1").catch(() => {});
    throw error;
  } finally {
    // Ending the session releases the lock even when the unlock above did not run.
    client.release(true);
  }
}
