import type { DashboardFilters } from "@/lib/analytics/schemas";

/**
 * The /history page listing the replays behind a dashboard number: the same days, agent, topic and
 * model, plus the number's own condition (a verdict, the AI's failure category, whether the agent
 * agreed with it). Replays count under their created_at day, as on the dashboard.
 */
export function replaysHref(
  filters: Pick<DashboardFilters, "from" | "to" | "agent" | "topic" | "model">,
  extra: { feedback?: "yes" | "no"; category?: string; agreement?: "agreed" | "corrected" | "rated"; analysis?: "pending" | "failed" } = {},
): string {
  const params = new URLSearchParams({ from: filters.from, to: filters.to });
  for (const key of ["agent", "topic", "model"] as const) if (filters[key]) params.set(key, filters[key]!);
  for (const [key, value] of Object.entries(extra)) if (value) params.set(key, value);
  return `/history?${params}`;
}
