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
  /** The registered version's provider (AI engine), so the view can label local suggestions. */
  modelProvider: "local" | "openai" | null;
  createdAt: string;
  /** A live hold on this replay: the viewer's own, or another agent's ("Ben is on this"). */
  reservation: { mine: boolean; name: string; until: string } | null;
};

/**
 * Pending replays for the agents' queue, with the full texts so that moving between replays needs
 * no round trip, and who holds each (as seen by `viewerId`). Served by the partial index on pending rows.
 */
export async function listQueue({ order, topic, ticket, limit, viewerId }: QueueQuery & { viewerId?: string }): Promise<{ items: QueueItem[]; total: number }> {
  const direction = order === "newest" ? "DESC" : "ASC";
  const { rows } = await getPool().query(
    `SELECT r.id, r.message, r.ai_reply, r.ticket_id, r.topic, r.model, mv.provider AS model_provider, r.created_at,
            v.agent_id AS holder_id, u.name AS holder_name, v.expires_at AS held_until,
            count(*) OVER () AS total
     FROM feedback_replay_log r LEFT JOIN model_versions mv ON mv.id = r.model_version_id
       LEFT JOIN replay_reservations v ON v.replay_id = r.id AND v.expires_at > now()
       LEFT JOIN users u ON u.id = v.agent_id
     WHERE r.status = 'pending'
       AND ($1::text IS NULL OR r.topic = $1)
       AND ($2::text IS NULL OR r.ticket_id ILIKE '%' || $2 || '%')
     ORDER BY r.created_at ${direction}, r.id ${direction}
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
      modelProvider: r.model_provider ?? null,
      createdAt: (r.created_at as Date).toISOString(),
      reservation: r.holder_id
        ? { mine: r.holder_id === viewerId, name: r.holder_name, until: (r.held_until as Date).toISOString() }
        : null,
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
