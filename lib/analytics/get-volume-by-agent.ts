import "server-only";
import { getPool } from "@/lib/db/client";
import { filterParams, rate, ROLLUP_FILTER_SQL } from "@/lib/analytics/rollup-filter";
import type { DashboardFilters } from "@/lib/analytics/schemas";

export type AgentVolume = {
  agentId: string | null;
  name: string;
  submitted: number;
  useful: number;
  notUseful: number;
  usefulRate: number | null;
  unchangedShare: number | null;
};

/**
 * Feedback given per agent (pending replays have no agent yet, so they are not here). Agents
 * whose user was deleted show as "Deleted user"; replays from the helpdesk API whose agent email
 * matched no user show as "No agent".
 */
export async function getVolumeByAgent(filters: DashboardFilters): Promise<AgentVolume[]> {
  const { rows } = await getPool().query(
    `SELECT a.agent_id, coalesce(u.name, CASE WHEN a.agent_id IS NULL THEN 'No agent' ELSE 'Deleted user' END) AS name,
            a.submitted, a.useful, a.not_useful, a.measured, a.unchanged
     FROM (
       SELECT agent_id, sum(submitted)::int AS submitted, sum(useful)::int AS useful, sum(not_useful)::int AS not_useful,
              sum(edit_measured)::int AS measured, sum(edit_unchanged)::int AS unchanged
       FROM analytics_daily WHERE ${ROLLUP_FILTER_SQL}
       GROUP BY agent_id HAVING sum(submitted) > 0
     ) a LEFT JOIN users u ON u.id = a.agent_id
     ORDER BY a.submitted DESC, name`,
    filterParams(filters),
  );
  return rows.map((r) => ({
    agentId: r.agent_id,
    name: r.name,
    submitted: r.submitted,
    useful: r.useful,
    notUseful: r.not_useful,
    usefulRate: rate(r.useful, r.submitted),
    unchangedShare: rate(r.unchanged, r.measured),
  }));
}
