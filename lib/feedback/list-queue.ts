import "server-only";
import { getPool } from "@/lib/db/client";
import type { QueueQuery } from "@/lib/feedback/schemas";

export type QueueItem = {
  id: string;
  message: string;
  aiReply: string;
  ticketId: string | null;
  topic: string | null;
  model: string;
  createdAt: string;
};

/**
 * Pending replays for the agents' queue, with the full texts so that moving between replays needs
 * no round trip. Served by the partial index on pending rows.
 */
export async function listQueue({ order, topic, ticket, limit }: QueueQuery): Promise<{ items: QueueItem[]; total: number }> {
  const direction = order === "newest" ? "DESC" : "ASC";
  const { rows } = await getPool().query(
    `SELECT id, message, ai_reply, ticket_id, topic, model, created_at, count(*) OVER () AS total
     FROM feedback_replay_log
     WHERE status = 'pending'
       AND ($1::text IS NULL OR topic = $1)
       AND ($2::text IS NULL OR ticket_id ILIKE '%' || $2 || '%')
     ORDER BY created_at ${direction}, id ${direction}
     LIMIT $3`,
    [topic || null, ticket || null, limit],
  );
  return {
    total: rows.length ? Number(rows[0].total) : 0,
    items: rows.map((r) => ({
      id: r.id,
      message: r.message,
      aiReply: r.ai_reply,
      ticketId: r.ticket_id,
      topic: r.topic,
      model: r.model,
      createdAt: (r.created_at as Date).toISOString(),
    })),
  };
}

/** Topics that have pending replays, for the queue's filter. */
export async function listQueueTopics(): Promise<{ topic: string; pending: number }[]> {
  const { rows } = await getPool().query(
    `SELECT topic, count(*)::int AS pending FROM feedback_replay_log
     WHERE status = 'pending' AND topic IS NOT NULL GROUP BY topic ORDER BY topic`,
  );
  return rows as { topic: string; pending: number }[];
}
