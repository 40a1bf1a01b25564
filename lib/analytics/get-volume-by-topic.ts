import "server-only";
import { getPool } from "@/lib/db/client";
import { filterParams, rate, ROLLUP_FILTER_SQL } from "@/lib/analytics/rollup-filter";
import type { DashboardFilters } from "@/lib/analytics/schemas";

export type TopicVolume = {
  topic: string | null;
  replays: number;
  submitted: number;
  pending: number;
  useful: number;
  notUseful: number;
  usefulRate: number | null;
};

/** Replays, feedback and queue per topic, the least useful topics first. */
export async function getVolumeByTopic(filters: DashboardFilters): Promise<TopicVolume[]> {
  const { rows } = await getPool().query(
    `SELECT topic, sum(replays)::int AS replays, sum(submitted)::int AS submitted, sum(pending)::int AS pending,
            sum(useful)::int AS useful, sum(not_useful)::int AS not_useful
     FROM analytics_daily WHERE ${ROLLUP_FILTER_SQL}
     GROUP BY topic HAVING sum(replays) > 0
     ORDER BY sum(useful)::float8 / nullif(sum(submitted), 0) ASC NULLS LAST, sum(replays) DESC, topic`,
    filterParams(filters),
  );
  return rows.map((r) => ({
    topic: r.topic,
    replays: r.replays,
    submitted: r.submitted,
    pending: r.pending,
    useful: r.useful,
    notUseful: r.not_useful,
    usefulRate: rate(r.useful, r.submitted),
  }));
}
