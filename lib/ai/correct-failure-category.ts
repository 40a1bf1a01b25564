import "server-only";
import type { FailureCategory } from "@/lib/ai/failure-categories";
import { hasRole, type Role } from "@/lib/auth/roles";
import { getPool } from "@/lib/db/client";
import { UserError } from "@/lib/errors";

/**
 * An agent corrects the category of the self-critique of their own replay (managers: of anyone's).
 * Kept beside the model's category, so analytics can show how often agents agree with it.
 * The ownership check lives in the UPDATE: zero rows means not found or not theirs.
 */
export async function correctFailureCategory({
  replayId,
  category,
  user,
}: {
  replayId: string;
  category: FailureCategory;
  user: { id: string; role: Role };
}): Promise<void> {
  const { rowCount } = await getPool().query(
    `UPDATE failure_analyses fa
     SET agent_category = $2, agent_category_by = $3, agent_category_at = now()
     FROM feedback_replay_log r
     WHERE fa.replay_id = $1 AND r.id = fa.replay_id AND ($4 OR r.agent_id = $3)`,
    [replayId, category, user.id, hasRole(user.role, "manager")],
  );
  if (rowCount === 0) {
    throw new UserError({ code: "not_found", status: 404, message: "No analysis of one of your replays has this id." });
  }
}
