import "server-only";
import { FAILURE_CATEGORIES, type FailureCategory } from "@/lib/ai/failure-categories";
import { getPool } from "@/lib/db/client";
import { filterParams, periodSql, rate, ROLLUP_FILTER_SQL } from "@/lib/analytics/rollup-filter";
import type { DashboardFilters } from "@/lib/analytics/schemas";
import { readTrainingSettings } from "@/lib/training/read-training-settings";
import { redactPii } from "@/lib/training/redact-pii";

export type CategoryFigures = { category: FailureCategory; analyses: number; rated: number; agreed: number; agreementRate: number | null };
/** The newest self-critique of a category in the range: model output, redacted; render as text only. */
export type LatestExplanation = { category: FailureCategory; replayId: string; explanation: string; suggestedFix: string | null; analyzedAt: string };

export type FailureCategories = {
  periods: { period: string; total: number; byCategory: Partial<Record<FailureCategory, number>> }[];
  /** Most frequent first; only categories the AI gave in the range. */
  categories: CategoryFigures[];
  total: Omit<CategoryFigures, "category">;
  latest: LatestExplanation[];
};

/** The same filters as ROLLUP_FILTER_SQL, over a replay aliased `r`. */
const REPLAY_R_FILTER_SQL = `r.created_at >= $1::date::timestamp AT TIME ZONE 'UTC'
  AND r.created_at < ($2::date + 1)::timestamp AT TIME ZONE 'UTC'
  AND ($3::uuid IS NULL OR r.agent_id = $3::uuid)
  AND ($4::text IS NULL OR r.topic = $4::text)
  AND ($5::text IS NULL OR r.model = $5::text)`;

/**
 * Why the AI failed, from its self-critiques (failure_analyses, done): categories per period from
 * the analytics_failures_daily rollup; agreement = of the analyses an agent gave a category for,
 * the share where it is the AI's; and the newest explanation and suggested fix of each of the top
 * categories (one indexed look-up per category, newest analysis first).
 */
export async function getFailureCategories(filters: DashboardFilters, latestCount = 4): Promise<FailureCategories> {
  const pool = getPool();
  const params = filterParams(filters);
  const { rows } = await pool.query(
    `SELECT to_char(${periodSql(filters.granularity)}, 'YYYY-MM-DD') AS period, category,
            sum(analyses)::int AS analyses, sum(rated)::int AS rated, sum(agreed)::int AS agreed
     FROM analytics_failures_daily WHERE ${ROLLUP_FILTER_SQL}
     GROUP BY 1, 2 HAVING sum(analyses) > 0 ORDER BY 1, 2`,
    params,
  );
  const periods = new Map<string, FailureCategories["periods"][number]>();
  const byCategory = new Map<FailureCategory, CategoryFigures>();
  for (const r of rows as { period: string; category: FailureCategory; analyses: number; rated: number; agreed: number }[]) {
    const p = periods.get(r.period) ?? { period: r.period, total: 0, byCategory: {} };
    p.total += r.analyses;
    p.byCategory[r.category] = r.analyses;
    periods.set(r.period, p);
    const c = byCategory.get(r.category) ?? { category: r.category, analyses: 0, rated: 0, agreed: 0, agreementRate: null };
    c.analyses += r.analyses;
    c.rated += r.rated;
    c.agreed += r.agreed;
    byCategory.set(r.category, c);
  }
  const categories = [...byCategory.values()]
    .map((c) => ({ ...c, agreementRate: rate(c.agreed, c.rated) }))
    .sort((a, b) => b.analyses - a.analyses || FAILURE_CATEGORIES.indexOf(a.category) - FAILURE_CATEGORIES.indexOf(b.category));
  const sum = (key: "analyses" | "rated" | "agreed") => categories.reduce((n, c) => n + c[key], 0);
  const total = { analyses: sum("analyses"), rated: sum("rated"), agreed: sum("agreed"), agreementRate: rate(sum("agreed"), sum("rated")) };

  const top = categories.slice(0, latestCount).map((c) => c.category);
  const latest: LatestExplanation[] = [];
  if (top.length > 0) {
    const found = await pool.query(
      `SELECT c.category, x.replay_id, x.explanation, x.suggested_fix, x.analyzed_at, x.customer_name, x.agent_name
       FROM unnest($6::failure_category[]) WITH ORDINALITY AS c(category, n)
       CROSS JOIN LATERAL (
         SELECT fa.replay_id, fa.explanation, fa.suggested_fix, fa.analyzed_at, r.customer_name, u.name AS agent_name
         FROM failure_analyses fa JOIN feedback_replay_log r ON r.id = fa.replay_id LEFT JOIN users u ON u.id = r.agent_id
         WHERE fa.status = 'done' AND fa.category = c.category AND fa.analyzed_at IS NOT NULL AND fa.explanation IS NOT NULL AND ${REPLAY_R_FILTER_SQL}
         ORDER BY fa.analyzed_at DESC LIMIT 1 -- DESC (nulls first) is failure_analyses_done_idx read backwards: no sort
       ) x
       ORDER BY c.n`,
      [...params, top],
    );
    const { idPatterns } = readTrainingSettings();
    for (const r of found.rows) {
      const redact = (text: string) => redactPii(text, { names: [r.agent_name, r.customer_name], idPatterns }).text;
      latest.push({
        category: r.category,
        replayId: r.replay_id,
        explanation: redact(String(r.explanation)),
        suggestedFix: r.suggested_fix === null ? null : redact(String(r.suggested_fix)),
        analyzedAt: r.analyzed_at ? (r.analyzed_at as Date).toISOString().slice(0, 10) : "",
      });
    }
  }
  return { periods: [...periods.values()], categories, total, latest };
}
