import { randomUUID } from "node:crypto";
import { getPool } from "@/lib/db/client";
import { dashboardFiltersSchema, type DashboardFilters } from "@/lib/analytics/schemas";
import { hashPrompt } from "@/lib/feedback/normalize-prompt";

/** A topic no other test uses: every dashboard test filters by its own. */
export const uniqueTopic = () => `topic ${randomUUID()}`;

export type FixtureReplay = {
  at: string; // ISO timestamp (UTC)
  topic: string;
  model?: string;
  agentId?: string | null;
  status?: "pending" | "submitted";
  feedback?: "yes" | "no" | null;
  message?: string;
  aiReply?: string;
  agentReply?: string | null;
  /** For a "no": the training example's status (default ready); null for none. */
  example?: "ready" | "needs_completion" | null;
};

/** Inserts replays (and their examples) with explicit times, the way the write paths store them. */
export async function insertReplays(replays: FixtureReplay[]): Promise<string[]> {
  const ids: string[] = [];
  for (const r of replays) {
    const message = r.message ?? `Where is my order? ${randomUUID()}`;
    const status = r.status ?? (r.feedback ? "submitted" : "pending");
    const { rows } = await getPool().query(
      `INSERT INTO feedback_replay_log (message, ai_reply, agent_reply, feedback, status, topic, model, agent_id, prompt_hash, created_at, submitted_at)
       VALUES ($1, $2, $3, $4, $5::replay_status, $6, $7, $8, $9, $10::timestamptz, CASE WHEN $5::replay_status = 'submitted' THEN $10::timestamptz END) RETURNING id`,
      [
        message,
        r.aiReply ?? "It is on its way.",
        r.agentReply === undefined ? (status === "submitted" ? (r.aiReply ?? "It is on its way.") : null) : r.agentReply,
        r.feedback ?? null,
        status,
        r.topic,
        r.model ?? "model-a",
        r.agentId ?? null,
        hashPrompt(message),
        r.at,
      ],
    );
    const id = rows[0].id as string;
    ids.push(id);
    const example = r.example === undefined ? (r.feedback === "no" ? "ready" : null) : r.example;
    if (example) {
      await getPool().query(
        `INSERT INTO training_log (prompt, completion, status, replay_id, created_at) VALUES ($1, $2, $3, $4, $5)`,
        [message, example === "ready" ? "A better reply." : "", example, id, r.at],
      );
    }
  }
  return ids;
}

export function filtersFor(input: Partial<Record<keyof DashboardFilters, string>>): DashboardFilters {
  return dashboardFiltersSchema.parse(input);
}
