import "server-only";
import type { FailureCategory } from "@/lib/ai/failure-categories";
import type { HistoryQuery } from "@/lib/ai/schemas";
import { getPool } from "@/lib/db/client";

export type HistoryItem = {
  id: string;
  message: string;
  aiReply: string;
  agentReply: string | null;
  feedback: "yes" | "no";
  topic: string | null;
  ticketId: string | null;
  model: string;
  modelProvider: "local" | "openai" | null;
  agentName: string | null;
  submittedAt: string;
  analysis: {
    status: "pending" | "running" | "done" | "failed";
    category: FailureCategory | null;
    explanation: string | null;
    suggestedFix: string | null;
    provider: string | null;
    model: string | null;
    lastError: string | null;
    attempts: number;
    agentCategory: FailureCategory | null;
  } | null;
};

export const HISTORY_PAGE_SIZE = 25;

/**
 * Submitted replays, newest first, with their analysis: an agent's own (agentId forced by the
 * page), or anyone's for managers. Keyset pagination on (submitted_at, id).
 */
export async function listReplayHistory({ agentId, query }: { agentId: string | null; query: HistoryQuery }): Promise<{ items: HistoryItem[]; next: string | null }> {
  const [beforeTime, beforeId] = query.before ? query.before.split("|") : [null, null];
  const { rows } = await getPool().query(
    `SELECT r.id, r.message, r.ai_reply, r.agent_reply, r.feedback, r.topic, r.ticket_id, r.model, mv.provider AS model_provider,
            u.name AS agent_name, r.submitted_at,
            to_char(r.submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '|' || r.id AS cursor,
            fa.status AS analysis_status, fa.category, fa.explanation, fa.suggested_fix, fa.provider, fa.model AS analysis_model,
            fa.last_error, fa.attempts, fa.agent_category
     FROM feedback_replay_log r
     LEFT JOIN failure_analyses fa ON fa.replay_id = r.id
     LEFT JOIN users u ON u.id = r.agent_id
     LEFT JOIN model_versions mv ON mv.id = r.model_version_id
     WHERE r.status = 'submitted' AND r.submitted_at IS NOT NULL
       AND ($1::uuid IS NULL OR r.agent_id = $1)
       AND ($2::feedback IS NULL OR r.feedback = $2)
       AND ($3::timestamptz IS NULL OR (r.submitted_at, r.id) < ($3::timestamptz, $4::uuid))
       AND ($5::date IS NULL OR r.created_at >= $5::date::timestamp AT TIME ZONE 'UTC')
       AND ($6::date IS NULL OR r.created_at < ($6::date + 1)::timestamp AT TIME ZONE 'UTC')
       AND ($7::text IS NULL OR r.topic = $7)
       AND ($8::text IS NULL OR r.model = $8)
       AND ($9::failure_category IS NULL OR (fa.status = 'done' AND fa.category = $9))
       AND ($10::text IS NULL OR (fa.status = 'done' AND fa.agent_category IS NOT NULL
            AND ($10 = 'rated' OR (fa.agent_category = fa.category) = ($10 = 'agreed'))))
       AND ($11::failure_analysis_status IS NULL OR fa.status = $11)
     ORDER BY r.submitted_at DESC, r.id DESC
     LIMIT ${HISTORY_PAGE_SIZE + 1}`,
    [
      agentId,
      query.feedback ?? null,
      beforeTime,
      beforeId,
      query.from ?? null,
      query.to ?? null,
      query.topic ?? null,
      query.model ?? null,
      query.category ?? null,
      query.agreement ?? null,
      query.analysis ?? null,
    ],
  );
  const page = rows.slice(0, HISTORY_PAGE_SIZE);
  return {
    next: rows.length > HISTORY_PAGE_SIZE ? page.at(-1)!.cursor : null,
    items: page.map((r) => ({
      id: r.id,
      message: r.message,
      aiReply: r.ai_reply,
      agentReply: r.agent_reply,
      feedback: r.feedback,
      topic: r.topic,
      ticketId: r.ticket_id,
      model: r.model,
      modelProvider: r.model_provider,
      agentName: r.agent_name,
      submittedAt: (r.submitted_at as Date).toISOString(),
      analysis: r.analysis_status
        ? {
            status: r.analysis_status,
            category: r.category,
            explanation: r.explanation,
            suggestedFix: r.suggested_fix,
            provider: r.provider,
            model: r.analysis_model,
            lastError: r.last_error,
            attempts: r.attempts,
            agentCategory: r.agent_category,
          }
        : null,
    })),
  };
}

/** People who have submitted replays, for the managers' filter. */
export async function listHistoryAgents(): Promise<{ id: string; name: string }[]> {
  const { rows } = await getPool().query(
    `SELECT u.id, u.name FROM users u WHERE EXISTS (SELECT 1 FROM feedback_replay_log r WHERE r.agent_id = u.id) ORDER BY u.name`,
  );
  return rows as { id: string; name: string }[];
}
