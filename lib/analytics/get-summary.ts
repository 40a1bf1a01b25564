import "server-only";
import { getPool } from "@/lib/db/client";
import { filterParams, rate, ROLLUP_FILTER_SQL } from "@/lib/analytics/rollup-filter";
import { isoDay, type DashboardFilters } from "@/lib/analytics/schemas";

export type PeriodFigures = {
  replays: number;
  submitted: number;
  pending: number;
  useful: number;
  usefulRate: number | null;
  unchangedShare: number | null;
};

export type Summary = { current: PeriodFigures; previous: PeriodFigures; previousFrom: string; previousTo: string };

const DAY = 86_400_000;

/**
 * The headline: the range against the equally long range just before it, so "is the AI getting
 * better" has a one-glance answer. One scan of the rollup over both ranges.
 */
export async function getSummary(filters: DashboardFilters): Promise<Summary> {
  const from = Date.parse(`${filters.from}T00:00:00Z`);
  const days = (Date.parse(`${filters.to}T00:00:00Z`) - from) / DAY + 1;
  const previousFrom = isoDay(new Date(from - days * DAY));
  const previousTo = isoDay(new Date(from - DAY));
  // $1 is the previous range's first day, so the filter spans both ranges; $6 splits them.
  const sums = (column: string) =>
    `coalesce(sum(${column}) FILTER (WHERE day >= $6::date), 0)::int AS ${column},
     coalesce(sum(${column}) FILTER (WHERE day < $6::date), 0)::int AS prev_${column}`;
  const { rows } = await getPool().query(
    `SELECT ${["replays", "submitted", "pending", "useful", "edit_measured", "edit_unchanged"].map(sums).join(",\n")}
     FROM analytics_daily WHERE ${ROLLUP_FILTER_SQL}`,
    [...filterParams({ ...filters, from: previousFrom }), filters.from],
  );
  const r = rows[0];
  const figures = (prefix: "" | "prev_"): PeriodFigures => ({
    replays: r[`${prefix}replays`],
    submitted: r[`${prefix}submitted`],
    pending: r[`${prefix}pending`],
    useful: r[`${prefix}useful`],
    usefulRate: rate(r[`${prefix}useful`], r[`${prefix}submitted`]),
    unchangedShare: rate(r[`${prefix}edit_unchanged`], r[`${prefix}edit_measured`]),
  });
  return { current: figures(""), previous: figures("prev_"), previousFrom, previousTo };
}
