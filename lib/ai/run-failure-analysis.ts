import "server-only";
import { analyzeFailure } from "@/lib/ai/analyze-failure";
import { analyzeFailureLocally, LOCAL_ANALYSIS_MODEL } from "@/lib/ai/analyze-failure-locally";
import { readAiConfig, type AiConfig } from "@/lib/ai/read-ai-config";
import type { FailureAnalysis } from "@/lib/ai/schemas";
import { getPool } from "@/lib/db/client";
import { UserError } from "@/lib/errors";

/** A row claimed by this worker (status flipped to `running`), with the texts to analyse. */
export type ClaimedAnalysis = { id: string; replayId: string; message: string; aiReply: string; agentReply: string | null };

/** A `running` row older than this belongs to a worker that died; it may be claimed again. */
export const STALE_RUNNING = "5 minutes";

export const CLAIM_COLUMNS = `fa.id, fa.replay_id, r.message, r.ai_reply, r.agent_reply`;

export const toClaimed = (r: Record<string, unknown>): ClaimedAnalysis => ({
  id: String(r.id),
  replayId: String(r.replay_id),
  message: String(r.message),
  aiReply: String(r.ai_reply),
  agentReply: r.agent_reply === null ? null : String(r.agent_reply),
});

/**
 * Analyses one "not useful" replay now (after the response, or from the history page's retry).
 * Claims the row first (pending or failed → running), so two workers never analyse it twice;
 * returns `skipped` when there is nothing to claim (done already, or another worker has it).
 * Never throws for a model failure: that is stored on the row (`failed`, `last_error`).
 */
export async function runFailureAnalysis({
  replayId,
  ownerId,
  config,
}: {
  replayId: string;
  /** Only when this user submitted the replay (an agent's retry from /history). */
  ownerId?: string;
  config?: AiConfig;
}): Promise<"done" | "failed" | "skipped"> {
  const { rows } = await getPool().query(
    `UPDATE failure_analyses fa SET status = 'running', attempts = fa.attempts + 1, claimed_at = now(), updated_at = now()
     FROM feedback_replay_log r
     WHERE fa.replay_id = $1 AND r.id = fa.replay_id AND ($2::uuid IS NULL OR r.agent_id = $2)
       AND (fa.status IN ('pending', 'failed') OR (fa.status = 'running' AND fa.claimed_at < now() - interval '${STALE_RUNNING}'))
     RETURNING ${CLAIM_COLUMNS}`,
    [replayId, ownerId ?? null],
  );
  if (!rows[0]) return "skipped";
  return analyzeClaimed(toClaimed(rows[0]), config);
}

/**
 * Analyses many "not useful" replays at once (the background runner outside a request): claims
 * them in one statement, then analyses a few at a time. Same claiming rules as runFailureAnalysis.
 */
export async function runFailureAnalyses({ replayIds, concurrency = 4 }: { replayIds: string[]; concurrency?: number }): Promise<void> {
  const { rows } = await getPool().query(
    `UPDATE failure_analyses fa SET status = 'running', attempts = fa.attempts + 1, claimed_at = now(), updated_at = now()
     FROM feedback_replay_log r
     WHERE fa.replay_id = ANY($1::uuid[]) AND r.id = fa.replay_id
       AND (fa.status IN ('pending', 'failed') OR (fa.status = 'running' AND fa.claimed_at < now() - interval '${STALE_RUNNING}'))
     RETURNING ${CLAIM_COLUMNS}`,
    [replayIds],
  );
  const queue = rows.map(toClaimed);
  const config = readAiConfig();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await analyzeClaimed(next, config);
    }),
  );
}

/** Runs the analysis for a claimed row and stores the outcome. Shared with the retry job. */
export async function analyzeClaimed(claimed: ClaimedAnalysis, config: AiConfig = readAiConfig()): Promise<"done" | "failed"> {
  let result: FailureAnalysis;
  let provider: string;
  let model: string;
  try {
    const input = { message: claimed.message, aiReply: claimed.aiReply, agentReply: claimed.agentReply };
    if (config.openai) {
      provider = "openai";
      model = config.openai.analysisModel;
      result = await analyzeFailure({ config: config.openai, input });
    } else {
      provider = "local";
      model = LOCAL_ANALYSIS_MODEL;
      result = analyzeFailureLocally(input);
    }
  } catch (error) {
    const message =
      error instanceof UserError ? error.message : "Unexpected error while analysing (see the server log).";
    if (!(error instanceof UserError)) console.error(`[failure-analysis] ${claimed.id}:`, error);
    await getPool().query(
      `UPDATE failure_analyses SET status = 'failed', last_error = $2, updated_at = now() WHERE id = $1 AND status = 'running'`,
      [claimed.id, message.slice(0, 1_000)],
    );
    return "failed";
  }
  await getPool().query(
    `UPDATE failure_analyses
     SET status = 'done', category = $2, explanation = $3, suggested_fix = $4, provider = $5, model = $6,
         last_error = NULL, analyzed_at = now(), updated_at = now()
     WHERE id = $1 AND status = 'running'`,
    [claimed.id, result.category, result.explanation, result.suggested_fix, provider, model],
  );
  return "done";
}
