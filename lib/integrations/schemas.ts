import { z } from "zod";
import { storableStringSchema } from "@/lib/api/schemas";
import { MAX_TEXT } from "@/lib/feedback/schemas";

const text = (label: string) => storableStringSchema(label).max(MAX_TEXT, `${label} must be at most ${MAX_TEXT} characters`);
const id = (label: string) => z.union([z.string().trim().min(1).max(200), z.number().int()], { error: `${label} must be a string or a number` }).transform(String);
const email = z.email("agentEmail must be an email address").max(320);

export const HELPDESK_EVENT_KINDS = ["message", "draft", "reply", "label", "closed", "ping"] as const;

/** One thing that happened in a conversation, whichever helpdesk said it. No text is logged. */
export type HelpdeskEvent = {
  eventId: string;
  kind: (typeof HELPDESK_EVENT_KINDS)[number];
  conversationId: string | null;
  text: string | null;
  agentEmail: string | null;
  feedback: "yes" | "no" | null;
  tags: string[];
  /** Unix seconds, when the payload carries its own time (Intercom: checked against the 5-minute window). */
  occurredAt: number | null;
};

// --- the generic webhook (ours, documented in the README) --------------------------------------

const GENERIC_TYPES = { "customer.message": "message", "ai.draft": "draft", "agent.reply": "reply", "agent.label": "label", "conversation.closed": "closed", ping: "ping" } as const;

export const genericEventSchema = z
  .object({
    id: id("id"),
    type: z.enum(Object.keys(GENERIC_TYPES) as [keyof typeof GENERIC_TYPES, ...(keyof typeof GENERIC_TYPES)[]], {
      error: `type must be one of ${Object.keys(GENERIC_TYPES).join(", ")}`,
    }),
    conversationId: id("conversationId").optional(),
    text: text("text").optional(),
    agentEmail: email.optional(),
    feedback: z.enum(["yes", "no"], { error: 'feedback must be "yes" or "no"' }).optional(),
    /** A list, or a space-separated string as Zendesk's {{ticket.tags}} placeholder gives it. */
    tags: z.union([z.array(z.string().max(200)).max(100), z.string().max(10_000)]).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.type !== "ping" && !v.conversationId) ctx.addIssue({ code: "custom", path: ["conversationId"], message: "conversationId is required" });
    if (["customer.message", "ai.draft", "agent.reply"].includes(v.type) && !v.text?.trim()) ctx.addIssue({ code: "custom", path: ["text"], message: "text is required for this type" });
    if (v.type === "agent.label" && !v.feedback) ctx.addIssue({ code: "custom", path: ["feedback"], message: "feedback is required for agent.label" });
  });

export function fromGeneric(body: z.infer<typeof genericEventSchema>): HelpdeskEvent {
  const tags = typeof body.tags === "string" ? body.tags.split(/\s+/).filter(Boolean) : (body.tags ?? []);
  return {
    eventId: body.id,
    kind: GENERIC_TYPES[body.type],
    conversationId: body.conversationId ?? null,
    text: body.text?.trim() || null,
    agentEmail: body.agentEmail?.toLowerCase() ?? null,
    feedback: body.feedback ?? null,
    tags,
    occurredAt: null,
  };
}

// --- Zendesk: event webhooks (zen:event-type:ticket.comment_added) ------------------------------

/** The documented envelope of a Zendesk event webhook; other properties are ignored. */
export const zendeskEventSchema = z.object({
  type: z.string().startsWith("zen:event-type:"),
  id: id("id"),
  time: z.string().optional(),
  subject: z.string().max(200),
  detail: z.object({ id: id("detail.id").optional(), tags: z.array(z.string().max(200)).max(500).nullish() }).loose(),
  event: z
    .object({
      comment: z
        .object({
          id: id("comment.id").optional(),
          body: text("comment.body"),
          is_public: z.boolean().optional(),
          author: z.object({ id: id("author.id").optional(), is_staff: z.boolean().optional(), name: z.string().max(500).optional() }).loose().optional(),
        })
        .loose()
        .optional(),
    })
    .loose()
    .optional(),
}).loose();

// --- Intercom: notification_event (conversation.user.replied, .admin.replied, .admin.closed…) ---

const intercomPart = z
  .object({
    part_type: z.string().max(100).optional(),
    body: z.string().max(MAX_TEXT * 4).nullish(),
    author: z.object({ type: z.string().max(50).optional(), email: z.string().max(320).nullish() }).loose().optional(),
  })
  .loose();

export const intercomNotificationSchema = z
  .object({
    type: z.literal("notification_event"),
    id: id("id"),
    topic: z.string().max(200),
    created_at: z.number().int(),
    data: z
      .object({
        item: z
          .object({
            type: z.string().max(100).optional(),
            id: id("data.item.id").optional(),
            source: intercomPart.nullish(),
            tags: z.object({ tags: z.array(z.object({ name: z.string().max(200) }).loose()).max(500) }).loose().nullish(),
            conversation_parts: z.object({ conversation_parts: z.array(intercomPart).max(500) }).loose().nullish(),
          })
          .loose(),
      })
      .loose(),
  })
  .loose();
