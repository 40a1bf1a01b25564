import "server-only";
import { getPool } from "@/lib/db/client";

export type FilterOptions = { agents: { id: string; name: string }[]; topics: string[]; models: string[] };

/** Choices for the filter bar: everyone who can give feedback, and the topics and models seen. */
export async function listFilterOptions(): Promise<FilterOptions> {
  const pool = getPool();
  const [agents, dims] = await Promise.all([
    pool.query(`SELECT id, name FROM users ORDER BY name`),
    pool.query(
      `SELECT coalesce(array_agg(DISTINCT topic) FILTER (WHERE topic IS NOT NULL), '{}') AS topics,
              coalesce(array_agg(DISTINCT model) FILTER (WHERE model IS NOT NULL), '{}') AS models
       FROM analytics_daily WHERE replays > 0`,
    ),
  ]);
  return { agents: agents.rows, topics: dims.rows[0].topics, models: dims.rows[0].models };
}
