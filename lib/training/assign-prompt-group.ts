import "server-only";
import { getPool } from "@/lib/db/client";
import { readEnv } from "@/lib/env";
import { normalizePrompt } from "@/lib/feedback/normalize-prompt";
import { createHash } from "node:crypto";

type Queryable = { query: (text: string, values: unknown[]) => Promise<{ rows: Record<string, unknown>[] }> };

// One statement: the group with the same normalised text (unique index), else the most similar
// group by pg_trgm if it is similar enough (a KNN scan of the GiST index: one probe, not a scan of
// all groups), else a new group with this message as its representative. Two writers creating the
// same new group meet on the unique prompt_hash; DO UPDATE makes the loser return the winner's id.
const ASSIGN_SQL = `
WITH exact AS (
  SELECT id FROM prompt_groups WHERE prompt_hash = $1
), nearest AS (
  SELECT id FROM (
    SELECT id, similarity(normalized, $2) AS score FROM prompt_groups
    WHERE NOT EXISTS (SELECT 1 FROM exact)
    ORDER BY normalized <-> $2
    LIMIT 1
  ) candidate WHERE score >= $4
), created AS (
  INSERT INTO prompt_groups (representative, normalized, prompt_hash)
  SELECT $3, $2, $1 WHERE NOT EXISTS (SELECT 1 FROM exact) AND NOT EXISTS (SELECT 1 FROM nearest)
  ON CONFLICT (prompt_hash) DO UPDATE SET prompt_hash = EXCLUDED.prompt_hash
  RETURNING id
)
SELECT id FROM exact UNION ALL SELECT id FROM nearest UNION ALL SELECT id FROM created LIMIT 1`;

/**
 * The prompt group of a customer message: messages that ask the same thing share one, so "not
 * useful per prompt" is one indexed GROUP BY. `similarity` (GROUP_SIMILARITY) is the pg_trgm
 * similarity of the normalised texts above which two messages are merged.
 */
export async function assignPromptGroup(
  message: string,
  options: { executor?: Queryable; similarity?: number } = {},
): Promise<string> {
  const [id] = await assignPromptGroups([message], options);
  return id!;
}

/**
 * The groups of many messages (the helpdesk API's batched insert): every exact match in one
 * query, then the similarity search (and group creation) one distinct new text at a time, so two
 * paraphrases in the same batch still meet in one group.
 */
export async function assignPromptGroups(
  messages: string[],
  { executor = getPool(), similarity = readEnv().GROUP_SIMILARITY }: { executor?: Queryable; similarity?: number } = {},
): Promise<string[]> {
  const keyed = messages.map((message) => {
    const normalized = normalizePrompt(message);
    return { message, normalized, hash: createHash("md5").update(normalized).digest("hex") };
  });
  const groups = new Map<string, string>();
  if (keyed.length > 1) {
    const { rows } = await executor.query("SELECT prompt_hash, id FROM prompt_groups WHERE prompt_hash = ANY($1::text[])", [
      [...new Set(keyed.map((k) => k.hash))],
    ]);
    for (const row of rows) groups.set(String(row.prompt_hash), String(row.id));
  }
  for (const { message, normalized, hash } of keyed) {
    if (groups.has(hash)) continue;
    const { rows } = await executor.query(ASSIGN_SQL, [hash, normalized, message, similarity]);
    groups.set(hash, String(rows[0]!.id));
  }
  return keyed.map((k) => groups.get(k.hash)!);
}

/** Groups one stored replay that has no group yet (the agent's submit of a queued replay). */
export async function groupReplay(replayId: string, executor: Queryable = getPool()): Promise<void> {
  const { rows } = await executor.query("SELECT message FROM feedback_replay_log WHERE id = $1 AND prompt_group_id IS NULL", [replayId]);
  if (!rows[0]) return;
  const groupId = await assignPromptGroup(String(rows[0].message), { executor });
  await executor.query("UPDATE feedback_replay_log SET prompt_group_id = $2 WHERE id = $1 AND prompt_group_id IS NULL", [replayId, groupId]);
}
