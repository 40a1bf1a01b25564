import "server-only";
import { getPool } from "@/lib/db/client";

/**
 * Recomputes analytics_daily from feedback_replay_log and training_log in one transaction
 * (analytics_rebuild() in drizzle/0003_analytics_triggers.sql). Writers wait meanwhile; readers
 * keep seeing the old rollup until it commits. Needed only after editing a replay's day, topic,
 * model or agent by hand once it has an example, or after loading data with triggers disabled.
 */
export async function rebuildAnalytics(): Promise<number> {
  const started = performance.now();
  const client = await getPool().connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT analytics_rebuild()");
    await client.query("SELECT analytics_rebuild_loop()");
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
  await getPool().query("ANALYZE analytics_daily, analytics_failures_daily, analytics_reviews_daily");
  return (performance.now() - started) / 1000;
}
