import type { DashboardFilters } from "@/lib/analytics/schemas";

/**
 * The dashboard filters as SQL over analytics_daily, always as $1..$5 (from, to, agent, topic,
 * model). `day` is the UTC day of the replay's created_at; both ends are inclusive.
 */
export const ROLLUP_FILTER_SQL = `day BETWEEN $1::date AND $2::date
  AND ($3::uuid IS NULL OR agent_id = $3::uuid)
  AND ($4::text IS NULL OR topic = $4::text)
  AND ($5::text IS NULL OR model = $5::text)`;

/** The same filters over feedback_replay_log rows (created_at in the UTC days from..to). */
export const REPLAY_FILTER_SQL = `created_at >= $1::date::timestamp AT TIME ZONE 'UTC'
  AND created_at < ($2::date + 1)::timestamp AT TIME ZONE 'UTC'
  AND ($3::uuid IS NULL OR agent_id = $3::uuid)
  AND ($4::text IS NULL OR topic = $4::text)
  AND ($5::text IS NULL OR model = $5::text)`;

export function filterParams(filters: DashboardFilters): (string | null)[] {
  return [filters.from, filters.to, filters.agent ?? null, filters.topic ?? null, filters.model ?? null];
}

/** Periods start on the day itself, or on the ISO week's Monday. */
export function periodSql(granularity: DashboardFilters["granularity"], column = "day"): string {
  return granularity === "week" ? `date_trunc('week', ${column})::date` : column;
}

/** A rate that is null (not 0) when nothing was counted: an empty week is not a bad week. */
export const rate = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);
