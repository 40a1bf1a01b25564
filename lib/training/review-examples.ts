import "server-only";
import { getPool } from "@/lib/db/client";

export type ReviewDecision = "approve" | "reject" | "reopen";

// The state check lives in the UPDATE: only pending examples are decided (and only usable ones are
// approved), only decided ones reopened. Whatever was skipped was decided meanwhile by someone
// else, or needs a completion first. Every change is logged in the same statement.
const CHANGE = {
  approve: { set: "review_status = 'approved'", where: "review_status = 'pending' AND status = 'ready'", logged: "approved" },
  reject: { set: "review_status = 'rejected'", where: "review_status = 'pending'", logged: "rejected" },
  reopen: { set: "review_status = 'pending', duplicate_of = NULL", where: "review_status <> 'pending'", logged: "reopened" },
} as const;

/** Approves, rejects or reopens up to a few thousand examples in one statement. */
export async function reviewExamples({
  ids,
  decision,
  reviewerId,
}: {
  ids: string[];
  decision: ReviewDecision;
  reviewerId: string;
}): Promise<{ changed: string[]; skipped: number }> {
  const change = CHANGE[decision];
  const { rows } = await getPool().query(
    `WITH changed AS (
       UPDATE training_log SET ${change.set}, reviewed_by = $2, reviewed_at = now(), updated_at = now()
       WHERE id = ANY($1::uuid[]) AND ${change.where}
       RETURNING id
     ), logged AS (
       INSERT INTO training_reviews (example_id, reviewer_id, decision)
       SELECT id, $2, '${change.logged}' FROM changed
     )
     SELECT id FROM changed`,
    [ids, reviewerId],
  );
  const changed = rows.map((r) => String(r.id));
  return { changed, skipped: new Set(ids).size - changed.length };
}
