import "server-only";
import { getPool } from "@/lib/db/client";
import { filterParams, rate, ROLLUP_FILTER_SQL } from "@/lib/analytics/rollup-filter";
import type { DashboardFilters } from "@/lib/analytics/schemas";

export type PeriodFigures = {
  replays: number;
  submitted: number;
  pending: number;
  useful: number;
  usefulRate: number | null;
  unchangedShare: number | null;
};

export type Summary = { current: PeriodFigures; previous: PeriodFigures; previousFrom: string; previousTo: string };

/**
 * The headline: the range against the equally long range just before it, so "is the AI getting
 * better" has a one-glance answer. One scan of the rollup over both ranges.
 */
export async function getSummary(filters: DashboardFilters): Promise<Summary> {
  const { rows } = await getPool().query(
    `WITH bounds AS (
       SELECT $1::date - ($2::date - $1::date + 1) AS prev_from, $1::date - 1 AS prev_to
     )
     SELECT to_char(prev_from, 'YYYY-MM-DD') AS prev_from, to_char(prev_to, 'YYYY-MM-DD') AS prev_to, p.*
     FROM bounds, LATERAL (
       SELECT
         coalesce(sum(replays) FILTER (WHERE day >= $1::date), 0)::int AS replays,
         coalesce(sum(submitted) FILTER (WHERE day >= $1::date), 0)::int AS submitted,
         coalesce(sum(pending) FILTER (WHERE day >= $1::date), 0)::int AS pending,
         coalesce(sum(useful) FILTER (WHERE day >= $1::date), 0)::int AS useful,
         coalesce(sum(edit_measured) FILTER (WHERE day >= $1::date), 0)::int AS measured,
         coalesce(sum(edit_unchanged) FILTER (WHERE day >= $1::date), 0)::int AS unchanged,
         coalesce(sum(replays) FILTER (WHERE day < $1::date), 0)::int AS prev_replays,
         coalesce(sum(submitted) FILTER (WHERE day < $1::date), 0)::int AS prev_submitted,
         coalesce(sum(pending) FILTER (WHERE day < $1::date), 0)::int AS prev_pending,
         coalesce(sum(useful) FILTER (WHERE day < $1::date), 0)::int AS prev_useful,
         coalesce(sum(edit_measured) FILTER (WHERE day < $1::date), 0)::int AS prev_measured,
         coalesce(sum(edit_unchanged) FILTER (WHERE day < $1::date), 0)::int AS prev_unchanged
       FROM analytics_daily
       WHERE ${ROLLUP_FILTER_SQL.replace("day BETWEEN $1::date AND $2::date", "day BETWEEN bounds.prev_from AND $2::date")}
     ) p`,
    filterParams(filters),
  );
  const r = rows[0];
  const figures = (prefix: "" | "prev_"): PeriodFigures => ({
    replays: r[`${prefix}replays`],
    submitted: r[`${prefix}submitted`],
    pending: r[`${prefix}pending`],
    useful: r[`${prefix}useful`],
    usefulRate: rate(r[`${prefix}useful`], r[`${prefix}submitted`]),
    unchangedShare: rate(r[`${prefix}unchanged`], r[`${prefix}measured`]),
  });
  return { current: figures(""), previous: figures("prev_"), previousFrom: r.prev_from, previousTo: r.prev_to };
}
