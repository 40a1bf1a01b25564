import "server-only";
import { getPool } from "@/lib/db/client";

export type FilterOptions = { agents: { id: string; name: string }[]; topics: string[]; models: string[] };

// Distinct values by a skip scan: one index probe per value instead of reading the whole rollup.
const distinctSql = (column: "topic" | "model") => `
  WITH RECURSIVE v AS (
    SELECT min(${column}) AS value FROM analytics_daily
    UNION ALL
    SELECT (SELECT min(${column}) FROM analytics_daily WHERE ${column} > v.value) FROM v WHERE v.value IS NOT NULL
  )
  SELECT value FROM v WHERE value IS NOT NULL`;

/** Choices for the filter bar: everyone who can give feedback, and every topic and model seen. */
export async function listFilterOptions(): Promise<FilterOptions> {
  const pool = getPool();
  const [agents, topics, models] = await Promise.all([
    pool.query(`SELECT id, name FROM users ORDER BY name`),
    pool.query(distinctSql("topic")),
    pool.query(distinctSql("model")),
  ]);
  return { agents: agents.rows, topics: topics.rows.map((r) => r.value), models: models.rows.map((r) => r.value) };
}
