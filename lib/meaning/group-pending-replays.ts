import "server-only";
import { getPool } from "@/lib/db/client";
import { embeddedPrefix, embedPendingReplays } from "@/lib/meaning/embeddings/embed-pending-replays";
import { GROUPING_LOCK } from "@/lib/meaning/grouping-lock";
import { forgetMeaningIndex, labelFor, loadMeaningIndex } from "@/lib/meaning/load-meaning-index";
import { placeReplays, type PendingReplay } from "@/lib/meaning/place-replays";

// Submitted replays with no group yet (the partial index on prompt_group_id IS NULL), oldest first,
// with a manager's pin for their wording if there is one.
const PENDING_SQL = `
SELECT r.id, r.message, r.agent_reply, r.feedback, r.prompt_hash, p.prompt_group_id AS pinned
FROM feedback_replay_log r LEFT JOIN prompt_group_pins p ON p.prompt_hash = r.prompt_hash
WHERE r.prompt_group_id IS NULL AND r.status = 'submitted'
ORDER BY r.created_at, r.id LIMIT $1`;

const SET_GROUPS_SQL = `
WITH g AS (SELECT * FROM unnest($1::uuid[], $2::uuid[]) AS g(id, group_id)),
u AS (
  UPDATE feedback_replay_log r SET prompt_group_id = g.group_id FROM g WHERE r.id = g.id AND r.prompt_group_id IS NULL RETURNING r.id
)
UPDATE training_log SET prepared_with = NULL WHERE replay_id IN (SELECT id FROM u) AND prepared_with IS NOT NULL`;

export type GroupingResult = { grouped: number; busy: boolean };

/**
 * Groups the submitted replays that have no prompt group yet, by meaning, in batches: one writer
 * at a time (an advisory lock). Storing feedback never waits for this: ingest and submit leave the
 * group empty and schedule it; suggestions, worst prompts, exports and the retrain run it first.
 * `waitMs` is how long to wait for another writer (0: give up at once and report busy). A regroup
 * in progress holds the lock: new replays wait for it.
 */
export async function groupPendingReplays({
  batchSize = 500,
  waitMs = 0,
  maxBatches = Infinity,
  onProgress,
}: { batchSize?: number; waitMs?: number; maxBatches?: number; onProgress?: (done: number) => void } = {}): Promise<GroupingResult> {
  let grouped = 0;
  let waited = false;
  for (let batch = 0; batch < maxBatches; batch++) {
    await embedPendingReplays(batchSize);
    const client = await getPool().connect();
    let extended = false;
    try {
      await client.query("BEGIN");
      let locked: boolean;
      if (waitMs > 0) {
        await client.query(`SET LOCAL lock_timeout = ${Math.round(waitMs)}`);
        locked = await client.query("SELECT pg_advisory_xact_lock($1)", [GROUPING_LOCK]).then(
          () => true,
          (error: { code?: string }) => {
            if (error.code === "55P03") return false;
            throw error;
          },
        );
        if (!locked) {
          await client.query("ROLLBACK");
          return { grouped, busy: true };
        }
        await client.query("SET LOCAL lock_timeout = 0");
      } else {
        const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_xact_lock($1) AS locked", [GROUPING_LOCK]);
        locked = rows[0]!.locked;
        if (!locked) {
          await client.query("ROLLBACK");
          return { grouped, busy: true };
        }
      }
      const { rows: fetched } = await client.query<{ id: string; message: string; agent_reply: string | null; feedback: "yes" | "no" | null; prompt_hash: string; pinned: string | null }>(
        PENDING_SQL,
        [batchSize],
      );
      if (fetched.length === 0) {
        await client.query("COMMIT");
        return { grouped, busy: false };
      }
      const state = await loadMeaningIndex(client);
      extended = true;
      // With embeddings: replays stored after the first step wait for the next round (their vectors
      // first), once; a second time they are placed as they are.
      const rows: typeof fetched = waited ? fetched : fetched.slice(0, embeddedPrefix(state.clusters, fetched.map((r) => r.message)));
      waited = rows.length === 0;
      if (waited) {
        await client.query("COMMIT");
        extended = false;
        batch--;
        continue;
      }
      const pending: PendingReplay[] = rows.map((r) => ({
        id: r.id,
        message: r.message,
        agentReply: r.agent_reply,
        feedback: r.feedback,
        promptHash: r.prompt_hash,
        pinnedGroup: r.pinned,
      }));
      const placements = await placeReplays(client, {
        clusters: state.clusters,
        generation: state.generation,
        labelFor: (groupId) => labelFor(state, groupId),
        groupOf: (label) => state.groupOfLabel[label]!,
        replayOfDoc: state.replayOfDoc,
      }, pending);
      await client.query(SET_GROUPS_SQL, [placements.map((p) => p.replayId), placements.map((p) => p.groupId)]);
      // The new documents are in the index already: a sync after the commit must not add them again.
      const { rows: last } = await client.query<{ id: string | null }>("SELECT max(id)::text AS id FROM meaning_documents");
      state.lastId = Math.max(state.lastId, Number(last[0]?.id ?? 0));
      await client.query("COMMIT");
      extended = false;
      grouped += rows.length;
      onProgress?.(grouped);
      if (fetched.length < batchSize && rows.length === fetched.length) return { grouped, busy: false };
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      if (extended) forgetMeaningIndex();
      throw error;
    } finally {
      client.release();
    }
  }
  return { grouped, busy: false };
}
