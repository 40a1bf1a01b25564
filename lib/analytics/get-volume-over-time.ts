import "server-only";
import { getPool } from "@/lib/db/client";
import { filterParams, periodSql, ROLLUP_FILTER_SQL } from "@/lib/analytics/rollup-filter";
import type { DashboardFilters } from "@/lib/analytics/schemas";

export type VolumePeriod = { period: string; replays: number; submitted: number; pending: number };

/** Replays per day or ISO week, split into those with feedback and those still in the queue. */
export async function getVolumeOverTime(filters: DashboardFilters): Promise<VolumePeriod[]> {
  const { rows } = await getPool().query(
    `SELECT to_char(${periodSql(filters.granularity)}, 'YYYY-MM-DD') AS period,
            sum(replays)::int AS replays, sum(submitted)::int AS submitted, sum(pending)::int AS pending
     FROM analytics_daily WHERE ${ROLLUP_FILTER_SQL}
     GROUP BY 1 HAVING sum(replays) > 0 ORDER BY 1`,
    filterParams(filters),
  );
  return rows as VolumePeriod[];
}
