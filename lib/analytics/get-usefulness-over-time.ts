import "server-only";
import { getPool } from "@/lib/db/client";
import { filterParams, periodSql, rate, ROLLUP_FILTER_SQL } from "@/lib/analytics/rollup-filter";
import type { DashboardFilters } from "@/lib/analytics/schemas";

export type UsefulnessPoint = { submitted: number; useful: number; rate: number | null };
export type UsefulnessPeriod = UsefulnessPoint & { period: string; byModel: Record<string, UsefulnessPoint> };
/** A model (version) that served its first replay inside the range: marked on the chart. */
export type VersionChange = { model: string; firstDay: string; period: string };

/**
 * A model version made active in the range by a manager or a retrain (not the start-up default),
 * with the useful rate of the replays created in the 7 days before that day and the 7 days from it.
 */
export type Promotion = { version: string; day: string; period: string; before: UsefulnessPoint; after: UsefulnessPoint };

export type UsefulnessOverTime = { periods: UsefulnessPeriod[]; models: string[]; versionChanges: VersionChange[]; promotions: Promotion[] };

/**
 * Share of submitted replays marked useful, per day or ISO week, overall and per model (the
 * `model` column is the model version). Periods without submissions have a null rate.
 */
export async function getUsefulnessOverTime(filters: DashboardFilters): Promise<UsefulnessOverTime> {
  const pool = getPool();
  const period = periodSql(filters.granularity);
  const [series, firsts, promoted] = await Promise.all([
    pool.query(
      `SELECT to_char(${period}, 'YYYY-MM-DD') AS period, model,
              sum(submitted)::int AS submitted, sum(useful)::int AS useful
       FROM analytics_daily WHERE ${ROLLUP_FILTER_SQL}
       GROUP BY 1, 2 HAVING sum(submitted) > 0 ORDER BY 1, 2`,
      filterParams(filters),
    ),
    // First day each model in the range served a replay, over all time (served by the model/day index).
    pool.query(
      `SELECT m.model, to_char(f.first_day, 'YYYY-MM-DD') AS first_day,
              to_char(${periodSql(filters.granularity, "f.first_day")}, 'YYYY-MM-DD') AS period
       FROM (SELECT DISTINCT model FROM analytics_daily WHERE ${ROLLUP_FILTER_SQL} AND replays > 0 AND model IS NOT NULL) m
       CROSS JOIN LATERAL (
         SELECT min(day) AS first_day FROM analytics_daily a WHERE a.model = m.model AND a.replays > 0
       ) f
       WHERE f.first_day BETWEEN $1::date AND $2::date
       ORDER BY f.first_day, m.model`,
      filterParams(filters),
    ),
    // model_versions is tiny; each promotion sums two weeks of the rollup.
    pool.query(
      `SELECT v.name || '@' || v.version AS version, to_char(p.day, 'YYYY-MM-DD') AS day,
              to_char(${periodSql(filters.granularity, "p.day")}, 'YYYY-MM-DD') AS period,
              b.submitted AS before_submitted, b.useful AS before_useful, a.submitted AS after_submitted, a.useful AS after_useful
       FROM model_versions v
       CROSS JOIN LATERAL (SELECT (v.promoted_at AT TIME ZONE 'UTC')::date AS day) p
       CROSS JOIN LATERAL (
         SELECT coalesce(sum(submitted), 0)::int AS submitted, coalesce(sum(useful), 0)::int AS useful FROM analytics_daily
         WHERE day >= p.day - 7 AND day < p.day AND ($3::uuid IS NULL OR agent_id = $3::uuid) AND ($4::text IS NULL OR topic = $4::text)
       ) b
       CROSS JOIN LATERAL (
         SELECT coalesce(sum(submitted), 0)::int AS submitted, coalesce(sum(useful), 0)::int AS useful FROM analytics_daily
         WHERE day >= p.day AND day < p.day + 7 AND ($3::uuid IS NULL OR agent_id = $3::uuid) AND ($4::text IS NULL OR topic = $4::text)
       ) a
       WHERE v.promoted_at IS NOT NULL AND v.activated_by IS DISTINCT FROM 'config'
         AND p.day BETWEEN $1::date AND $2::date
       ORDER BY p.day, 1`,
      filterParams(filters).slice(0, 4),
    ),
  ]);

  const periods = new Map<string, UsefulnessPeriod>();
  const totals = new Map<string, number>();
  for (const row of series.rows as { period: string; model: string | null; submitted: number; useful: number }[]) {
    const model = row.model ?? "unknown";
    const entry = periods.get(row.period) ?? { period: row.period, submitted: 0, useful: 0, rate: null, byModel: {} };
    entry.submitted += row.submitted;
    entry.useful += row.useful;
    entry.rate = rate(entry.useful, entry.submitted);
    entry.byModel[model] = { submitted: row.submitted, useful: row.useful, rate: rate(row.useful, row.submitted) };
    periods.set(row.period, entry);
    totals.set(model, (totals.get(model) ?? 0) + row.submitted);
  }
  const firstSeen = new Map<string, string>();
  for (const p of periods.values()) for (const m of Object.keys(p.byModel)) if (!firstSeen.has(m)) firstSeen.set(m, p.period);
  const models = [...totals.keys()].sort((a, b) => firstSeen.get(a)!.localeCompare(firstSeen.get(b)!) || a.localeCompare(b));
  return {
    periods: [...periods.values()],
    models,
    versionChanges: firsts.rows.map((r) => ({ model: r.model, firstDay: r.first_day, period: r.period })),
    promotions: promoted.rows.map((r) => ({
      version: r.version,
      day: r.day,
      period: r.period,
      before: { submitted: r.before_submitted, useful: r.before_useful, rate: rate(r.before_useful, r.before_submitted) },
      after: { submitted: r.after_submitted, useful: r.after_useful, rate: rate(r.after_useful, r.after_submitted) },
    })),
  };
}
