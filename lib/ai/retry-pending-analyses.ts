import "server-only";
import { analyzeClaimed, CLAIM_COLUMNS, STALE_RUNNING, toClaimed } from "@/lib/ai/run-failure-analysis";
import type { AiConfig } from "@/lib/ai/read-ai-config";
import { getPool } from "@/lib/db/client";

/** After this many attempts a failed analysis waits for someone to press Retry on /history. */
export const MAX_AUTOMATIC_ATTEMPTS = 5;

export type RetrySummary = { claimed: number; done: number; failed: number };

/**
 * Picks up analyses that after() did not finish: pending ones older than `graceSeconds` (the
 * process died, or the request's after() is still running), failed ones after an exponential
 * backoff (2, 4, 8 … 64 minutes), and `running` ones whose worker vanished. Safe to run twice at
 * once (`npm run cli -- analyses retry`, a cron): rows are claimed with FOR UPDATE SKIP LOCKED and
 * a status flip, so each is analysed by exactly one worker.
 */
export async function retryPendingAnalyses({
  limit = 50,
  graceSeconds = 60,
  concurrency = 4,
  config,
}: {
  limit?: number;
  graceSeconds?: number;
  concurrency?: number;
  config?: AiConfig;
} = {}): Promise<RetrySummary> {
  const { rows } = await getPool().query(
    `WITH picked AS (
       SELECT id FROM failure_analyses
       WHERE (status = 'pending' AND updated_at < now() - make_interval(secs => $2))
          OR (status = 'failed' AND attempts < $3
              AND updated_at < now() - interval '1 minute' * power(2, least(attempts, 6)))
          OR (status = 'running' AND claimed_at < now() - interval '${STALE_RUNNING}')
       ORDER BY updated_at
       LIMIT $1
       FOR UPDATE SKIP LOCKED
     )
     UPDATE failure_analyses fa SET status = 'running', attempts = fa.attempts + 1, claimed_at = now(), updated_at = now()
     FROM picked, feedback_replay_log r
     WHERE fa.id = picked.id AND r.id = fa.replay_id
     RETURNING ${CLAIM_COLUMNS}`,
    [limit, graceSeconds, MAX_AUTOMATIC_ATTEMPTS],
  );
  const queue = rows.map(toClaimed);
  const summary: RetrySummary = { claimed: queue.length, done: 0, failed: 0 };
  // A few at a time: a provider is called for each, and it may be rate-limited.
  await Promise.all(
    Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        summary[await analyzeClaimed(next, config)]++;
      }
    }),
  );
  return summary;
}
