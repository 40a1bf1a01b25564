import "server-only";
import { getPool } from "@/lib/db/client";
import { filterParams, ROLLUP_FILTER_SQL } from "@/lib/analytics/rollup-filter";
import type { DashboardFilters } from "@/lib/analytics/schemas";

export type FunnelStage = { key: string; label: string; count: number };

/**
 * The training funnel's stages that exist today: "not useful" replays → training examples →
 * examples with a usable completion (status ready). Examples count under their replay's day,
 * topic, model and agent. Later stages (approved, exported, in a fine-tune) join here.
 */
export async function getTrainingFunnel(filters: DashboardFilters): Promise<FunnelStage[]> {
  const { rows } = await getPool().query(
    `SELECT coalesce(sum(not_useful), 0)::int AS not_useful, coalesce(sum(examples), 0)::int AS examples,
            coalesce(sum(examples_ready), 0)::int AS ready
     FROM analytics_daily WHERE ${ROLLUP_FILTER_SQL}`,
    filterParams(filters),
  );
  const r = rows[0];
  return [
    { key: "not_useful", label: "Marked not useful", count: r.not_useful },
    { key: "examples", label: "Training examples", count: r.examples },
    { key: "ready", label: "With a usable completion", count: r.ready },
  ];
}
