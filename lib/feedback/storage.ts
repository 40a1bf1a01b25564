import "server-only";

import { getDb, getPool } from "@/lib/db/client";
import { trainingLog } from "@/lib/db/schema";
import { isUsableCompletion } from "@/lib/feedback/completion-quality";
import { hashPrompt } from "@/lib/feedback/normalize-prompt";
import { scheduleGrouping } from "@/lib/meaning/schedule-grouping";

export type FeedbackValue = "yes" | "no";

export type StoreFeedbackReplayInput = {
  message: string;
  aiReply: string;
  agentReply?: string | null;
  feedback: FeedbackValue;
  ticketId?: string | null;
  agentEmail?: string | null;
  topic?: string | null;
  model?: string | null;
  source?: string;
  customerName?: string | null;
};

export type StoredReplay = { id: string; trainingExampleId: string | null };

type Queryable = { query: (text: string, values: unknown[]) => Promise<{ rows: Record<string, unknown>[] }> };

// One statement, so the replay and its training example are written atomically in one round
// trip: a "no" always brings its example (status needs_completion when there is no usable reply).
const INSERT_REPLAY_SQL = `
WITH r AS (
  INSERT INTO feedback_replay_log
    (message, ai_reply, agent_reply, feedback, status, ticket_id, topic, model, source, prompt_hash,
     agent_email, agent_id, submitted_at, prompt_group_id, customer_name)
  VALUES ($1, $2, $3, $4, 'submitted', $5, $6, $7, $8, $9, $10,
          (SELECT id FROM users WHERE email = $10), now(), NULL, $13)
  RETURNING id, message, feedback
), t AS (
  INSERT INTO training_log (prompt, completion, status, replay_id)
  SELECT message, $11, $12::training_example_status, id FROM r WHERE feedback = 'no'
  RETURNING id
)
SELECT r.id, (SELECT id FROM t) AS training_example_id FROM r`;

/** Stores a replay that already has its outcome (the helpdesk API, imports, the seed); its prompt group comes soon after. */
export async function storeFeedbackReplay(
  input: StoreFeedbackReplayInput,
  executor: Queryable = getPool(),
): Promise<StoredReplay> {
  const usable = isUsableCompletion(input.agentReply);
  const { rows } = await executor.query(INSERT_REPLAY_SQL, [
    input.message,
    input.aiReply,
    input.agentReply ?? null,
    input.feedback,
    input.ticketId ?? null,
    input.topic ?? null,
    input.model ?? "unknown",
    input.source ?? "api",
    hashPrompt(input.message),
    input.agentEmail?.toLowerCase() ?? null,
    usable ? input.agentReply!.trim() : "",
    usable ? "ready" : "needs_completion",
    input.customerName?.trim() || null,
  ]);
  const row = rows[0]!;
  // Grouped by meaning in the background (lib/meaning/group-pending-replays.ts).
  scheduleGrouping();
  return { id: String(row.id), trainingExampleId: row.training_example_id ? String(row.training_example_id) : null };
}

/** Stores a training example on its own (prompt = customer message, completion = better reply). */
export async function storeTrainingExample({
  prompt,
  completion,
  replayId,
}: {
  prompt: string;
  completion: string;
  replayId?: string;
}): Promise<{ id: string; status: "ready" | "needs_completion" }> {
  const usable = isUsableCompletion(completion);
  const [row] = await getDb()
    .insert(trainingLog)
    .values({
      prompt,
      completion: usable ? completion.trim() : "",
      status: usable ? "ready" : "needs_completion",
      replayId,
    })
    .returning({ id: trainingLog.id, status: trainingLog.status });
  return row!;
}

export type TrainingExample = { id: string; prompt: string; completion: string; createdAt: Date; cursor: string };

/**
 * Examples fit for training, oldest first, a page at a time: pass the last row's `cursor` as
 * `after`. The cursor keeps created_at's microseconds, which a JS Date would lose.
 * Examples that still need a completion are never returned.
 */
export async function getTrainingExamples({ limit = 1000, after }: { limit?: number; after?: string } = {}): Promise<TrainingExample[]> {
  const [afterTime, afterId] = after ? after.split("|") : [null, null];
  const { rows } = await getPool().query(
    `SELECT id, prompt, completion, created_at,
            to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '|' || id AS cursor
     FROM training_log
     WHERE status = 'ready' AND ($1::timestamptz IS NULL OR (created_at, id) > ($1::timestamptz, $2::uuid))
     ORDER BY created_at, id
     LIMIT $3`,
    [afterTime, afterId, limit],
  );
  return rows.map((r) => ({ id: r.id, prompt: r.prompt, completion: r.completion, createdAt: r.created_at, cursor: r.cursor }));
}
