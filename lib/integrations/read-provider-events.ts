import type { z } from "zod";
import { parseTimestamp } from "@/lib/integrations/verify-signature";
import type { HelpdeskEvent, intercomNotificationSchema, zendeskEventSchema } from "@/lib/integrations/schemas";

const event = (partial: Partial<HelpdeskEvent> & Pick<HelpdeskEvent, "eventId" | "kind">): HelpdeskEvent => ({
  conversationId: null,
  text: null,
  agentEmail: null,
  feedback: null,
  tags: [],
  occurredAt: null,
  ...partial,
});

/**
 * A Zendesk event webhook as one of our events: a comment by the requester (not staff) is the
 * customer's message, a public comment by staff is the reply sent; internal notes and other event
 * types are acknowledged and stored as nothing but their id. The ticket's tags are its signals.
 */
export function fromZendesk(body: z.infer<typeof zendeskEventSchema>): HelpdeskEvent {
  const ticket = /^zen:ticket:(\d+)$/.exec(body.subject)?.[1] ?? (body.detail.id as string | undefined) ?? null;
  const base = { eventId: body.id, conversationId: ticket, tags: body.detail.tags ?? [], occurredAt: body.time ? parseTimestamp(body.time) : null };
  const comment = body.event?.comment;
  if (body.type !== "zen:event-type:ticket.comment_added" || !comment || !comment.body.trim()) return event({ ...base, kind: "closed" });
  if (comment.author?.is_staff === false) return event({ ...base, kind: "message", text: comment.body.trim() });
  if (comment.is_public === false) return event({ ...base, kind: "closed" });
  return event({ ...base, kind: "reply", text: comment.body.trim() });
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", apos: "'", nbsp: " " };

/** Intercom sends comment bodies as HTML: the text an agent or customer wrote, as plain text. */
export function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/(p|div|li|h\d)>/gi, "\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&(amp|lt|gt|quot|#39|apos|nbsp);/g, (_, name: string) => ENTITIES[name]!)
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/**
 * An Intercom notification as one of our events: `conversation.user.created|replied` → the
 * customer's message, `conversation.admin.replied` → the reply sent (a part written by a bot,
 * such as Fin, is an AI draft), `conversation.admin.closed` → closed (with its reply, if the
 * close carried one), `ping` → a test. The conversation's tags are its signals.
 */
export function fromIntercom(body: z.infer<typeof intercomNotificationSchema>): HelpdeskEvent {
  const item = body.data.item;
  const base = {
    eventId: body.id,
    conversationId: item.type === "conversation" || item.type === undefined ? ((item.id as string | undefined) ?? null) : null,
    tags: item.tags?.tags.map((t) => t.name) ?? [],
    occurredAt: body.created_at,
  };
  if (body.topic === "ping") return event({ ...base, kind: "ping", conversationId: null });
  const parts = item.conversation_parts?.conversation_parts ?? [];
  const last = [...parts].reverse().find((p) => p.body && htmlToText(p.body) !== "");
  const textOf = (part: typeof last) => (part?.body ? htmlToText(part.body) : null);
  switch (body.topic) {
    case "conversation.user.created":
      return event({ ...base, kind: "message", text: textOf(item.source ?? undefined) });
    case "conversation.user.replied":
      return event({ ...base, kind: "message", text: textOf(last) });
    case "conversation.admin.replied":
    case "conversation.admin.closed": {
      if (!last || (last.author?.type !== "admin" && last.author?.type !== "bot")) return event({ ...base, kind: "closed" });
      const kind = last.author.type === "bot" ? "draft" : "reply";
      return event({ ...base, kind, text: textOf(last), agentEmail: last.author.email?.toLowerCase() ?? null });
    }
    default:
      return event({ ...base, kind: "closed" });
  }
}
