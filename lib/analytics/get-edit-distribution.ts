import "server-only";
import { getPool } from "@/lib/db/client";
import { filterParams, rate, ROLLUP_FILTER_SQL } from "@/lib/analytics/rollup-filter";
import type { DashboardFilters } from "@/lib/analytics/schemas";

/** Buckets of edit_ratio: the share of words (of the longer reply) the agent changed. */
export const EDIT_BUCKETS = [
  { key: "unchanged", label: "Sent unchanged", short: "0%" },
  { key: "upTo10", label: "1–10% of words changed", short: "1–10%" },
  { key: "upTo25", label: "11–25% of words changed", short: "11–25%" },
  { key: "upTo50", label: "26–50% of words changed", short: "26–50%" },
  { key: "upTo75", label: "51–75% of words changed", short: "51–75%" },
  { key: "over75", label: "76–100% of words changed (rewritten)", short: "76–100%" },
] as const;

export type EditDistribution = {
  measured: number;
  buckets: { key: (typeof EDIT_BUCKETS)[number]["key"]; label: string; short: string; count: number; share: number | null }[];
  unchangedShare: number | null;
  meanEditRatio: number | null;
};

/**
 * How much agents change the AI suggestion before sending: word-level edit distance between
 * ai_reply and agent_reply over the longer reply's word count, measured on write by a trigger.
 * Only submitted replays with an agent reply are measured.
 */
export async function getEditDistribution(filters: DashboardFilters): Promise<EditDistribution> {
  const { rows } = await getPool().query(
    `SELECT coalesce(sum(edit_measured), 0)::int AS measured,
            coalesce(sum(edit_unchanged), 0)::int AS unchanged,
            coalesce(sum(edit_up_to_10), 0)::int AS "upTo10",
            coalesce(sum(edit_up_to_25), 0)::int AS "upTo25",
            coalesce(sum(edit_up_to_50), 0)::int AS "upTo50",
            coalesce(sum(edit_up_to_75), 0)::int AS "upTo75",
            coalesce(sum(edit_over_75), 0)::int AS "over75",
            coalesce(sum(edit_ratio_sum), 0)::float8 AS ratio_sum
     FROM analytics_daily WHERE ${ROLLUP_FILTER_SQL}`,
    filterParams(filters),
  );
  const r = rows[0];
  const measured: number = r.measured;
  return {
    measured,
    buckets: EDIT_BUCKETS.map((b) => ({ key: b.key, label: b.label, short: b.short, count: r[b.key], share: rate(r[b.key], measured) })),
    unchangedShare: rate(r.unchanged, measured),
    meanEditRatio: measured > 0 ? r.ratio_sum / measured : null,
  };
}
