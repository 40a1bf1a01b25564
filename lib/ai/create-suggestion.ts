import "server-only";
import { generateSuggestion } from "@/lib/ai/generate-suggestion";
import type { EffectiveModel } from "@/lib/ai/get-active-model-version";
import type { SuggestionRequest } from "@/lib/ai/schemas";
import { getPool } from "@/lib/db/client";
import { hashPrompt } from "@/lib/feedback/normalize-prompt";

export type CreatedSuggestion = { replayId: string; aiReply: string; model: string; provider: "local" | "openai" };

/**
 * POST /api/suggestions: generates a reply (outside any transaction: the model may take seconds),
 * then stores it as a pending replay, so it lands in the agents' queue with the version that wrote it.
 */
export async function createSuggestion({ input, model }: { input: SuggestionRequest; model?: EffectiveModel }): Promise<CreatedSuggestion> {
  const suggestion = await generateSuggestion({ message: input.message, topic: input.topic, model });
  const { rows } = await getPool().query(
    `INSERT INTO feedback_replay_log (message, ai_reply, ticket_id, topic, model, model_version_id, source, prompt_hash)
     VALUES ($1, $2, $3, $4, $5, $6, 'suggest', $7) RETURNING id`,
    [input.message, suggestion.text, input.ticketId ?? null, input.topic ?? null, suggestion.version.label, suggestion.version.id, hashPrompt(input.message)],
  );
  return { replayId: rows[0].id, aiReply: suggestion.text, model: suggestion.version.label, provider: suggestion.version.provider };
}
