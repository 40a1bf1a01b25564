import { z } from "zod";
import { storableStringSchema } from "@/lib/api/schemas";
import { feedbackReplayInputSchema, MAX_TEXT } from "@/lib/feedback/schemas";

const time = z
  .union([z.string(), z.number()], { error: "createdAt must be an ISO 8601 time or Unix seconds" })
  .transform((value, ctx) => {
    const ms = typeof value === "number" || /^\d{9,11}$/.test(value) ? Number(value) * 1000 : Date.parse(value);
    if (Number.isNaN(ms) || ms < Date.UTC(2000, 0, 1) || ms > Date.now() + 86_400_000) {
      ctx.addIssue({ code: "custom", message: "createdAt must be an ISO 8601 time or Unix seconds, from 2000 to now" });
      return z.NEVER;
    }
    return new Date(ms);
  });

/**
 * One line of a history import: the fields of POST /api/feedback-replay (message, aiReply,
 * agentReply, feedback, ticketId, agentEmail, topic, model, customerName) plus `createdAt`, the
 * time of the reply. The reply sent and the ticket id are required (the ticket id and message are
 * the line's identity); the AI draft and the label are optional (a missing label is inferred).
 */
export const importLineSchema = feedbackReplayInputSchema
  .extend({
    aiReply: feedbackReplayInputSchema.shape.agentReply,
    agentReply: storableStringSchema("agentReply")
      .max(MAX_TEXT, `agentReply must be at most ${MAX_TEXT} characters`)
      .refine((v) => v.trim().length > 0, "agentReply must not be empty"),
    feedback: feedbackReplayInputSchema.shape.feedback.optional(),
    ticketId: z.union([z.string(), z.number()], { error: "ticketId is required" }).transform(String).pipe(z.string().trim().min(1, "ticketId is required").max(200)),
    createdAt: time.optional(),
  })
  .strict();

export type ImportLine = z.infer<typeof importLineSchema>;
