import { z } from "zod";
import { storableStringSchema } from "@/lib/api/schemas";
import { FAILURE_CATEGORIES } from "@/lib/ai/failure-categories";
import { MAX_TEXT } from "@/lib/feedback/schemas";

export const failureCategorySchema = z.enum(FAILURE_CATEGORIES, {
  error: `category must be one of: ${FAILURE_CATEGORIES.join(", ")}`,
});

/**
 * The self-critique's structured output. The model is asked for exactly this (JSON schema, strict)
 * and its answer is validated again here: model output is untrusted data.
 */
export const failureAnalysisSchema = z
  .object({
    category: failureCategorySchema,
    explanation: z.string().trim().min(1, "explanation must not be empty").max(1_000, "explanation must be at most 1,000 characters"),
    suggested_fix: z.string().trim().min(1, "suggested_fix must not be empty").max(1_000, "suggested_fix must be at most 1,000 characters"),
  })
  .strict();

export type FailureAnalysis = z.infer<typeof failureAnalysisSchema>;

/** POST /api/suggestions: the helpdesk asks for a suggested reply to a customer message. */
export const suggestionRequestSchema = z
  .object({
    message: storableStringSchema("message")
      .max(MAX_TEXT, `message must be at most ${MAX_TEXT} characters`)
      .refine((v) => v.trim().length > 0, "message must not be empty"),
    ticketId: z.string().trim().min(1).max(200, "ticketId must be at most 200 characters").nullish(),
    topic: z.string().trim().min(1).max(100, "topic must be at most 100 characters").nullish(),
  })
  .strict();

export type SuggestionRequest = z.infer<typeof suggestionRequestSchema>;

export const replayIdSchema = z.uuid("replayId must be a replay id");

/** An agent (or a manager) corrects the category the self-critique chose. */
export const correctCategorySchema = z.object({ replayId: replayIdSchema, category: failureCategorySchema });

export const activateModelVersionSchema = z.object({ id: z.uuid("id must be a model version id") });

const historyDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)))
  .optional()
  .catch(undefined);

/** /history filters. Agents always see their own replays; managers may pick an agent. */
export const historyQuerySchema = z.object({
  agent: z.uuid().optional().catch(undefined),
  feedback: z.enum(["yes", "no"]).optional().catch(undefined),
  before: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z\|[0-9a-f-]{36}$/)
    .optional()
    .catch(undefined),
  // The dashboard's links: the replays behind one of its numbers (UTC days of created_at, both ends inclusive).
  from: historyDay,
  to: historyDay,
  topic: z.string().trim().min(1).max(200).optional().catch(undefined),
  model: z.string().trim().min(1).max(200).optional().catch(undefined),
  category: failureCategorySchema.optional().catch(undefined),
  agreement: z.enum(["agreed", "corrected", "rated"]).optional().catch(undefined),
  analysis: z.enum(["pending", "failed"]).optional().catch(undefined),
});

/** The /history filters that narrow the list (everything but the page cursor), for links that keep them. */
export const HISTORY_FILTER_KEYS = ["agent", "feedback", "from", "to", "topic", "model", "category", "agreement", "analysis"] as const;

export type HistoryQuery = z.infer<typeof historyQuerySchema>;
