import "server-only";
import { getPool } from "@/lib/db/client";

export type Reservation =
  | { status: "mine"; until: string }
  | { status: "taken"; name: string; until: string }
  | { status: "closed" };

// Taking a replay is one statement, and the rule sits in its WHERE: the row is inserted, or an
// existing hold is overwritten only when it is this agent's own (a renewal) or has expired. The
// primary key on replay_id serialises two agents on two app instances: the second waits for the
// first's commit and then finds a live hold that is not its own, so it takes nothing. Taking one
// replay lets go of the agent's others in the same statement: an agent works one replay at a time.
const RESERVE_SQL = `
WITH target AS (
  SELECT id FROM feedback_replay_log WHERE id = $1 AND status = 'pending'
), took AS (
  INSERT INTO replay_reservations AS v (replay_id, agent_id, expires_at)
  SELECT id, $2, now() + make_interval(secs => $3) FROM target
  ON CONFLICT (replay_id) DO UPDATE
    SET agent_id = EXCLUDED.agent_id, expires_at = EXCLUDED.expires_at,
        reserved_at = CASE WHEN v.agent_id = EXCLUDED.agent_id THEN v.reserved_at ELSE now() END
    WHERE v.agent_id = EXCLUDED.agent_id OR v.expires_at <= now()
  RETURNING replay_id, expires_at
), let_go AS (
  DELETE FROM replay_reservations WHERE agent_id = $2 AND replay_id <> $1 AND EXISTS (SELECT 1 FROM took)
)
SELECT (SELECT expires_at FROM took) AS until, (SELECT count(*) FROM target)::int AS pending`;

/**
 * An agent opens (or keeps open) a pending replay: it is theirs for `seconds`, unless another
 * agent holds it, in which case the answer names them. Renewing is calling it again.
 */
export async function reserveReplay({ replayId, agentId, seconds }: { replayId: string; agentId: string; seconds: number }): Promise<Reservation> {
  const { rows } = await getPool().query(RESERVE_SQL, [replayId, agentId, seconds]);
  const row = rows[0];
  if (row.until) return { status: "mine", until: (row.until as Date).toISOString() };
  if (row.pending === 0) return { status: "closed" };
  // Taken by someone else: who, for the view (a read after the fact; it decides nothing).
  const holder = await getPool().query(
    `SELECT u.name, v.expires_at FROM replay_reservations v JOIN users u ON u.id = v.agent_id
     WHERE v.replay_id = $1 AND v.expires_at > now()`,
    [replayId],
  );
  const h = holder.rows[0];
  // The hold expired or was let go between the two statements: the next renewal takes it.
  if (!h) return { status: "taken", name: "Another agent", until: new Date().toISOString() };
  return { status: "taken", name: h.name, until: (h.expires_at as Date).toISOString() };
}
