import "server-only";
import { findWorstPrompts } from "@/lib/analytics/find-worst-prompts";
import { getFailureCategories } from "@/lib/analytics/get-failure-categories";
import { getEditDistribution } from "@/lib/analytics/get-edit-distribution";
import { getSummary } from "@/lib/analytics/get-summary";
import { getTrainingFunnel } from "@/lib/analytics/get-training-funnel";
import { getUsefulnessOverTime } from "@/lib/analytics/get-usefulness-over-time";
import { getVolumeByAgent } from "@/lib/analytics/get-volume-by-agent";
import { getVolumeByTopic } from "@/lib/analytics/get-volume-by-topic";
import { getVolumeOverTime } from "@/lib/analytics/get-volume-over-time";
import { listRetrainRuns } from "@/lib/analytics/list-retrain-runs";
import type { DashboardFilters, PanelId } from "@/lib/analytics/schemas";

/** Each dashboard panel and the one aggregate that feeds it (the page and the CSV export share it). */
export const PANEL_LOADERS = {
  summary: getSummary,
  usefulness: getUsefulnessOverTime,
  volume: getVolumeOverTime,
  agents: getVolumeByAgent,
  topics: getVolumeByTopic,
  edits: getEditDistribution,
  "worst-prompts": (filters: DashboardFilters) => findWorstPrompts(filters),
  funnel: getTrainingFunnel,
  failures: (filters: DashboardFilters) => getFailureCategories(filters),
  runs: (filters: DashboardFilters) => listRetrainRuns(filters),
} satisfies Record<PanelId, (filters: DashboardFilters) => Promise<unknown>>;

export type PanelData = { [P in PanelId]: Awaited<ReturnType<(typeof PANEL_LOADERS)[P]>> };

export function loadPanel<P extends PanelId>(panel: P, filters: DashboardFilters): Promise<PanelData[P]> {
  return PANEL_LOADERS[panel](filters) as Promise<PanelData[P]>;
}
