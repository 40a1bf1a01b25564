import "server-only";
import { drizzle } from "drizzle-orm/node-postgres";
import type pg from "pg";
import { recordAudit } from "@/lib/audit/record-audit";
import { getPool } from "@/lib/db/client";
import { UserError } from "@/lib/errors";
import { normalizePrompt } from "@/lib/feedback/normalize-prompt";
import { GROUPING_LOCK } from "@/lib/meaning/grouping-lock";

export type WordingMove = {
  /** split: selected wordings into a new group; move: into `into`; merge: all of `from` into `into`. */
  kind: "split" | "move" | "merge";
  /** The group the wordings leave. */
  from: string;
  /** The wordings (prompt hashes) that leave it; every one of `from` for a merge. */
  hashes?: string[];
  /** The group they join (move, merge); a split makes a new one. */
  into?: string;
  actor: { id: string; email: string };
};

export type WordingMoveResult = { groupId: string; wordings: number; replays: number; removedGroup: boolean };

/** Wordings kept as documents per group, as the grouping job keeps them (place-replays.ts). */
const MAX_MESSAGES_PER_GROUP = 64;

const WORDINGS_SQL = `
SELECT prompt_hash, prompt_hash = ANY($2::text[]) OR $3::boolean AS moving
FROM feedback_replay_log WHERE prompt_group_id = $1 GROUP BY prompt_hash`;

// The oldest replay of `from` among the wordings that stay ($3 = false) or leave ($3 = true) whose
// hash no group holds yet: a group's representative is its first message, and
// prompt_groups.prompt_hash (unique) is that message's.
const OLDEST_SQL = `
SELECT message, prompt_hash FROM feedback_replay_log r
WHERE prompt_group_id = $1 AND (prompt_hash = ANY($2::text[])) = $3
  AND NOT EXISTS (SELECT 1 FROM prompt_groups g WHERE g.prompt_hash = r.prompt_hash)
ORDER BY created_at, id LIMIT 1`;

// The one statement that moves the replays: their examples are prepared again (they copy the group).
// No analytics trigger counts prompt_group_id (drizzle/0003: day, topic, model, agent, status, feedback).
const MOVE_REPLAYS_SQL = `
WITH moved AS (
  UPDATE feedback_replay_log SET prompt_group_id = $2
  WHERE prompt_group_id = $1 AND prompt_hash = ANY($3::text[]) RETURNING id
), examples AS (
  UPDATE training_log SET prepared_with = NULL WHERE replay_id IN (SELECT id FROM moved) AND prepared_with IS NOT NULL
)
SELECT count(*)::int AS n FROM moved`;

// The documents of the moved replays follow them, so the engine matches new wordings to their new group.
const MOVE_DOCUMENTS_SQL = `
UPDATE meaning_documents d SET prompt_group_id = $2 FROM feedback_replay_log r
WHERE d.prompt_group_id = $1 AND d.replay_id = r.id AND r.prompt_group_id = $2 AND r.prompt_hash = ANY($3::text[])`;

// A wording with no document of its own (it repeated another, which stayed behind) gets one, up
// to the cap, so each side of a split knows all its wordings.
const ENSURE_DOCUMENTS_SQL = `
WITH documented AS (
  SELECT DISTINCT d.prompt_group_id, r.prompt_hash FROM meaning_documents d JOIN feedback_replay_log r ON r.id = d.replay_id
  WHERE d.prompt_group_id = ANY($1::uuid[]) AND d.kind = 'message'
), have AS (
  SELECT prompt_group_id, count(*)::int AS n FROM meaning_documents WHERE prompt_group_id = ANY($1::uuid[]) AND kind = 'message' GROUP BY 1
), missing AS (
  SELECT DISTINCT ON (r.prompt_group_id, r.prompt_hash) r.prompt_group_id, r.id, r.message, r.created_at
  FROM feedback_replay_log r
  WHERE r.prompt_group_id = ANY($1::uuid[])
    AND NOT EXISTS (SELECT 1 FROM documented x WHERE x.prompt_group_id = r.prompt_group_id AND x.prompt_hash = r.prompt_hash)
  ORDER BY r.prompt_group_id, r.prompt_hash, r.created_at, r.id
), ranked AS (
  SELECT m.*, row_number() OVER (PARTITION BY m.prompt_group_id ORDER BY m.created_at, m.id) AS k FROM missing m
)
INSERT INTO meaning_documents (generation, prompt_group_id, replay_id, kind, text)
SELECT s.generation, k.prompt_group_id, k.id, 'message', k.message
FROM ranked k CROSS JOIN meaning_state s LEFT JOIN have h ON h.prompt_group_id = k.prompt_group_id
WHERE s.id = 1 AND k.k + coalesce(h.n, 0) <= $2`;

// The decision, as pins: every wording of the groups involved stays where the manager left it, so
// a regroup (new engine, new settings) cannot undo it, and new replays of a wording land there.
const PIN_SQL = `
INSERT INTO prompt_group_pins (prompt_hash, prompt_group_id, pinned_by)
SELECT DISTINCT ON (prompt_hash) prompt_hash, prompt_group_id, $2::uuid FROM feedback_replay_log WHERE prompt_group_id = ANY($1::uuid[])
ORDER BY prompt_hash, prompt_group_id = $1[array_length($1, 1)] DESC -- a wording in both groups: the target's
ON CONFLICT (prompt_hash) DO UPDATE SET prompt_group_id = EXCLUDED.prompt_group_id, pinned_by = EXCLUDED.pinned_by, created_at = now()
WHERE prompt_group_pins.prompt_group_id IS DISTINCT FROM EXCLUDED.prompt_group_id`;

async function takeGroupingLock(client: pg.PoolClient) {
  await client.query("SET LOCAL lock_timeout = 5000");
  try {
    await client.query("SELECT pg_advisory_xact_lock($1)", [GROUPING_LOCK]);
  } catch (error) {
    if ((error as { code?: string }).code !== "55P03") throw error;
    throw new UserError({ code: "grouping_busy", status: 409, message: "Messages are being grouped right now (a regroup may be running). Try again in a minute." });
  }
  await client.query("SET LOCAL lock_timeout = 0");
}

/**
 * A manager's grouping decision: moves wordings (every replay with that normalised message) from
 * one prompt group to another or to a new one, with their meaning documents, then pins every
 * wording of both groups and bumps meaning_state.revision, so each process's in-memory index is
 * rebuilt at its next sync. A group left empty is removed (its documents and pins go to `into`).
 * Runs under the grouping lock (no grouping job or regroup meanwhile), in one transaction with
 * its audit entry (ids and counts only). Callers check the manager role.
 */
export async function moveWordings({ kind, from, hashes = [], into, actor }: WordingMove): Promise<WordingMoveResult> {
  if (into === from) throw new UserError({ code: "same_group", message: "Pick another group." });
  const client = await getPool().connect();
  try {
    await client.query("BEGIN");
    await takeGroupingLock(client);
    const { rows: groups } = await client.query<{ id: string; prompt_hash: string }>("SELECT id, prompt_hash FROM prompt_groups WHERE id = ANY($1::uuid[]) FOR UPDATE", [
      [from, into].filter(Boolean),
    ]);
    const source = groups.find((g) => g.id === from);
    if (!source || (into && !groups.some((g) => g.id === into))) {
      throw new UserError({ code: "group_not_found", status: 404, message: "That group no longer exists: it may have been merged. Reload the page." });
    }
    const { rows: wordings } = await client.query<{ prompt_hash: string; moving: boolean }>(WORDINGS_SQL, [from, hashes, kind === "merge"]);
    const moving = wordings.filter((w) => w.moving).map((w) => w.prompt_hash);
    const staying = wordings.length - moving.length;
    if (moving.length === 0) throw new UserError({ code: "not_in_group", status: 409, message: "Those wordings are no longer in this group. Reload the page." });
    if (kind === "split" && staying === 0) {
      throw new UserError({ code: "nothing_left", message: "Leave at least one wording in the group; to move them all, merge the group into another." });
    }

    // The representative leaves: the oldest message that stays takes over (its hash is then free).
    if (staying > 0 && moving.includes(source.prompt_hash)) {
      const { rows } = await client.query<{ message: string }>(
        `SELECT message FROM feedback_replay_log WHERE prompt_group_id = $1 AND NOT (prompt_hash = ANY($2::text[])) ORDER BY created_at, id LIMIT 1`,
        [from, moving],
      );
      const { rows: free } = await client.query<{ message: string; prompt_hash: string }>(OLDEST_SQL, [from, moving, false]);
      const next = free[0] ?? rows[0];
      // The hash stays the old one only when every staying wording starts another group (never in practice).
      await client.query("UPDATE prompt_groups SET representative = $2, normalized = $3, prompt_hash = coalesce($4, prompt_hash) WHERE id = $1", [
        from,
        next!.message,
        normalizePrompt(next!.message),
        free[0]?.prompt_hash ?? null,
      ]);
    }
    let target = into;
    if (!target) {
      const { rows } = await client.query<{ message: string; prompt_hash: string }>(OLDEST_SQL, [from, moving, true]);
      if (!rows[0]) throw new UserError({ code: "split_conflict", status: 409, message: "Each of those wordings starts another group already. Move them to that group instead." });
      const created = await client.query<{ id: string }>("INSERT INTO prompt_groups (representative, normalized, prompt_hash) VALUES ($1, $2, $3) RETURNING id", [
        rows[0].message,
        normalizePrompt(rows[0].message),
        rows[0].prompt_hash,
      ]);
      target = created.rows[0]!.id;
    }

    const { rows: moved } = await client.query<{ n: number }>(MOVE_REPLAYS_SQL, [from, target, moving]);
    await client.query(MOVE_DOCUMENTS_SQL, [from, target, moving]);
    const removedGroup = staying === 0;
    if (removedGroup) {
      await client.query("UPDATE meaning_documents SET prompt_group_id = $2 WHERE prompt_group_id = $1", [from, target]);
      await client.query("UPDATE prompt_group_pins SET prompt_group_id = $2 WHERE prompt_group_id = $1", [from, target]);
      await client.query("DELETE FROM prompt_groups WHERE id = $1", [from]);
    }
    const involved = removedGroup ? [target] : [from, target];
    await client.query(ENSURE_DOCUMENTS_SQL, [involved, MAX_MESSAGES_PER_GROUP]);
    await client.query(PIN_SQL, [involved, actor.id]);
    await client.query("UPDATE meaning_state SET revision = revision + 1, updated_at = now() WHERE id = 1");
    await recordAudit(
      {
        actor: { type: "user", id: actor.id, email: actor.email },
        action: `training.group_${kind}`,
        target: from,
        details: { from, into: target, wordings: moving.length, replays: moved[0]?.n ?? 0, removedGroup },
      },
      drizzle(client),
    );
    await client.query("COMMIT");
    return { groupId: target, wordings: moving.length, replays: moved[0]?.n ?? 0, removedGroup };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
