import "server-only";
import { getPool } from "@/lib/db/client";

/**
 * An agent lets go of a replay they hold (explicitly, or by leaving the page). Only the holder's
 * own row is deleted (the rule is in the WHERE); returns whether there was one.
 */
export async function releaseReplay({ replayId, agentId }: { replayId: string; agentId: string }): Promise<boolean> {
  const { rowCount } = await getPool().query(`DELETE FROM replay_reservations WHERE replay_id = $1 AND agent_id = $2`, [replayId, agentId]);
  return (rowCount ?? 0) > 0;
}
