import "server-only";
import { FAILURE_CATEGORIES } from "@/lib/ai/failure-categories";
import { readAiConfig } from "@/lib/ai/read-ai-config";
import { runFailureAnalysis } from "@/lib/ai/run-failure-analysis";
import { getPool } from "@/lib/db/client";

/**
 * Demo data for the self-critique: the seeded misses are analysed by the local heuristic (never a
 * paid provider, whatever is configured), and every third one gets an agent's verdict on the
 * category (agreeing four times in five), so /history and the analytics have something to show.
 */
export async function seedDemoAnalyses(replayIds: string[]): Promise<void> {
  const config = { ...readAiConfig(), openai: null };
  const queue = [...replayIds];
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let id = queue.shift(); id; id = queue.shift()) await runFailureAnalysis({ replayId: id, config });
    }),
  );
  const { rows } = await getPool().query(
    `SELECT fa.id, fa.category, r.agent_id FROM failure_analyses fa JOIN feedback_replay_log r ON r.id = fa.replay_id
     WHERE fa.replay_id = ANY($1::uuid[]) AND fa.status = 'done' ORDER BY r.submitted_at, fa.id`,
    [replayIds],
  );
  const verdicts = rows
    .filter((_, i) => i % 3 === 0)
    .map((r, i) => {
      const other = FAILURE_CATEGORIES[(FAILURE_CATEGORIES.indexOf(r.category) + 1 + (i % 3)) % FAILURE_CATEGORIES.length];
      return { id: r.id, category: i % 5 === 4 ? other : r.category, agent: r.agent_id };
    });
  if (verdicts.length === 0) return;
  await getPool().query(
    `UPDATE failure_analyses fa SET agent_category = v.category::failure_category, agent_category_by = v.agent, agent_category_at = now()
     FROM unnest($1::uuid[], $2::text[], $3::uuid[]) AS v(id, category, agent) WHERE fa.id = v.id`,
    [verdicts.map((v) => v.id), verdicts.map((v) => v.category), verdicts.map((v) => v.agent)],
  );
}
