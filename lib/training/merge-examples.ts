import "server-only";
import { getPool } from "@/lib/db/client";
import { UserError } from "@/lib/errors";

/** Marks pending examples as duplicates of the one to keep (`into`); they leave every export. */
export async function mergeExamples({
  ids,
  into,
  reviewerId,
}: {
  ids: string[];
  into: string;
  reviewerId: string;
}): Promise<{ changed: string[]; skipped: number }> {
  const { rows } = await getPool().query(
    `WITH target AS (
       SELECT id FROM training_log WHERE id = $2 AND review_status IN ('pending', 'approved')
     ), changed AS (
       UPDATE training_log SET review_status = 'merged', duplicate_of = $2, reviewed_by = $3, reviewed_at = now(), updated_at = now()
       WHERE id = ANY($1::uuid[]) AND id <> $2 AND review_status = 'pending' AND EXISTS (SELECT 1 FROM target)
       RETURNING id
     ), logged AS (
       INSERT INTO training_reviews (example_id, reviewer_id, decision, duplicate_of) SELECT id, $3, 'merged', $2 FROM changed
     )
     SELECT (SELECT count(*)::int FROM target) AS target_ok, (SELECT array_agg(id) FROM changed) AS changed`,
    [ids, into, reviewerId],
  );
  if (rows[0].target_ok === 0) {
    throw new UserError({ code: "bad_merge_target", status: 409, message: "The example to keep was rejected or merged itself. Pick another one to keep." });
  }
  const changed = ((rows[0].changed ?? []) as string[]).map(String);
  return { changed, skipped: new Set(ids.filter((id) => id !== into)).size - changed.length };
}
