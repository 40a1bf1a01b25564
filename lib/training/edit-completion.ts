import "server-only";
import { getPool } from "@/lib/db/client";
import { UserError } from "@/lib/errors";

/**
 * A manager rewrites the completion: the agent's original is kept (the first one, however often it
 * is edited), the example becomes usable and approved, and its cleaned texts are redone.
 */
export async function editCompletion({ id, completion, reviewerId }: { id: string; completion: string; reviewerId: string }): Promise<void> {
  const { rowCount } = await getPool().query(
    `WITH changed AS (
       UPDATE training_log
       SET original_completion = coalesce(original_completion, completion), completion = $2, status = 'ready',
           review_status = 'approved', reviewed_by = $3, reviewed_at = now(), updated_at = now(), prepared_with = NULL
       WHERE id = $1 AND review_status IN ('pending', 'approved')
       RETURNING id
     ), logged AS (
       INSERT INTO training_reviews (example_id, reviewer_id, decision, completion) SELECT id, $3, 'edited', $2 FROM changed
     )
     SELECT id FROM changed`,
    [id, completion.trim(), reviewerId],
  );
  if (rowCount === 0) {
    throw new UserError({ code: "not_editable", status: 409, message: "This example was rejected or merged meanwhile. Reopen it to edit it." });
  }
}
