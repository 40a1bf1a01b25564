import "server-only";
import { drizzle } from "drizzle-orm/node-postgres";
import { recordAudit } from "@/lib/audit/record-audit";
import { getPool } from "@/lib/db/client";
import { UserError } from "@/lib/errors";

/**
 * A manager takes back the grouping decisions on a group: its wordings' pins are removed, so the
 * engine decides for them again. They stay where they are until the engine next places them (a
 * regroup after a change of engine or settings, or `npm run cli -- training regroup --all`); new
 * replays of them meanwhile go where the engine sends them. One statement with its audit entry
 * (ids and counts only). Callers check the manager role.
 */
export async function releaseGroupPins({ groupId, actor }: { groupId: string; actor: { id: string; email: string } }): Promise<{ wordings: number }> {
  const client = await getPool().connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query<{ n: number }>(
      "WITH released AS (DELETE FROM prompt_group_pins WHERE prompt_group_id = $1 RETURNING 1) SELECT count(*)::int AS n FROM released",
      [groupId],
    );
    const wordings = rows[0]?.n ?? 0;
    if (wordings === 0) {
      throw new UserError({ code: "not_pinned", status: 409, message: "No wording of this group is pinned any more. Reload the page." });
    }
    await recordAudit(
      { actor: { type: "user", id: actor.id, email: actor.email }, action: "training.group_unpin", target: groupId, details: { wordings } },
      drizzle(client),
    );
    await client.query("COMMIT");
    return { wordings };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
