import { z } from "zod";
import { storableStringSchema } from "@/lib/api/schemas";

/** Messages and replies up to 32,000 characters each (the HTTP body limit is set to fit them). */
export const MAX_TEXT = 32_000;

const text = (label: string) =>
  // No NUL (PostgreSQL text cannot hold it), no lone surrogate (it would be stored as U+FFFD).
  storableStringSchema(label).max(MAX_TEXT, `${label} must be at most ${MAX_TEXT} characters`);

const requiredText = (label: string) =>
  text(label).refine((v) => v.trim().length > 0, `${label} must not be empty`);

export const feedbackValueSchema = z.enum(["yes", "no"], { error: 'feedback must be "yes" or "no"' });

/** POST /api/feedback-replay: the helpdesk reports a reply that was sent. */
export const feedbackReplayInputSchema = z
  .object({
    message: requiredText("message"),
    aiReply: requiredText("aiReply"),
    agentReply: text("agentReply").nullish(),
    feedback: feedbackValueSchema,
    ticketId: z.string().trim().min(1).max(200, "ticketId must be at most 200 characters").nullish(),
    agentEmail: z.email("agentEmail must be an email address").max(320).nullish(),
    topic: z.string().trim().min(1).max(100).nullish(),
    model: z.string().trim().min(1).max(200).nullish(),
    /** The customer's name as the helpdesk knows it: only used to redact it from training data. */
    customerName: z.string().trim().max(200, "customerName must be at most 200 characters").nullish(),
  })
  .strict();

export type FeedbackReplayInput = z.infer<typeof feedbackReplayInputSchema>;

/** The agent's submit from the replay view. `submissionId` makes a retried submit harmless. */
export const submitReplaySchema = z
  .object({
    replayId: z.uuid("replayId must be a replay id"),
    submissionId: z.uuid("submissionId must be a UUID"),
    agentReply: text("Your reply"),
    feedback: feedbackValueSchema,
  })
  // A "useful" verdict still needs the reply that was sent; a "not useful" without one is kept
  // as an example that needs a completion, so the agent is warned but not blocked.
  .refine((v) => v.feedback === "no" || v.agentReply.trim().length > 0, {
    path: ["agentReply"],
    message: "Type the reply you sent, or copy the AI reply into it.",
  });

export type SubmitReplayInput = z.infer<typeof submitReplaySchema>;

export const queueQuerySchema = z.object({
  order: z.enum(["oldest", "newest"]).default("oldest"),
  topic: storableStringSchema("topic").trim().max(100).optional(),
  ticket: storableStringSchema("ticket").trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

export type QueueQuery = z.infer<typeof queueQuerySchema>;

/** The shared queue: which replay an agent takes or lets go of. */
export const replayReservationSchema = z.object({ replayId: z.uuid("replayId must be a replay id") });
