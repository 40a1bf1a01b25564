import "server-only";
import { streamSuggestion, type Suggestion, type SuggestionEvent } from "@/lib/ai/generate-suggestion";
import type { EffectiveModel } from "@/lib/ai/get-active-model-version";
import type { AiConfig } from "@/lib/ai/read-ai-config";
import { getPool } from "@/lib/db/client";
import { toErrorBody, UserError } from "@/lib/errors";

/** One JSON object per line; the replay view reads them as they arrive. */
export type FreshSuggestionEvent =
  | { type: "start"; model: string; provider: "local" | "openai" }
  | { type: "delta"; text: string }
  | { type: "done"; aiReply: string; model: string; provider: "local" | "openai"; saved: boolean }
  | { type: "error"; code: string; message: string };

/**
 * "Get a fresh suggestion" for a pending replay, as an NDJSON stream. Errors before the first
 * token (not found, provider refused) are thrown, so the route can answer with a status code;
 * later ones become an `error` event. The finished reply replaces the replay's AI reply only
 * while it is still pending, so a verdict already given is never moved to another text.
 */
export async function streamFreshSuggestion({
  replayId,
  model,
  config,
  signal,
}: {
  replayId: string;
  model?: EffectiveModel;
  config?: AiConfig;
  signal?: AbortSignal;
}): Promise<ReadableStream<Uint8Array>> {
  const { rows } = await getPool().query("SELECT message, topic, status FROM feedback_replay_log WHERE id = $1", [replayId]);
  const replay = rows[0] as { message: string; topic: string | null; status: string } | undefined;
  if (!replay) throw new UserError({ code: "not_found", status: 404, message: "This replay no longer exists." });
  if (replay.status !== "pending") {
    throw new UserError({ code: "already_submitted", status: 409, message: "Feedback for this replay was already submitted; its AI reply is kept as it was judged." });
  }

  const abort = new AbortController();
  const events = streamSuggestion({
    message: replay.message,
    topic: replay.topic,
    model,
    config,
    signal: signal ? AbortSignal.any([signal, abort.signal]) : abort.signal,
  });
  // Read up to the first text, so that provider errors surface here, before any byte is sent.
  const buffered: SuggestionEvent[] = [];
  for (;;) {
    const next = await events.next();
    if (next.done) break;
    buffered.push(next.value);
    if (next.value.type !== "start") break;
  }
  const encoder = new TextEncoder();
  const line = (event: FreshSuggestionEvent) => encoder.encode(`${JSON.stringify(event)}\n`);

  async function* all(): AsyncGenerator<SuggestionEvent> {
    yield* buffered;
    yield* events;
  }

  let cancelled = false;
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (event: FreshSuggestionEvent) => {
        if (!cancelled) controller.enqueue(line(event));
      };
      try {
        for await (const event of all()) {
          if (event.type === "start") {
            send({ type: "start", model: event.version.label, provider: event.version.provider });
          } else if (event.type === "delta") {
            send({ type: "delta", text: event.text });
          } else {
            const { suggestion } = event;
            const saved = await saveSuggestion(replayId, suggestion);
            send({ type: "done", aiReply: suggestion.text, model: suggestion.version.label, provider: suggestion.version.provider, saved });
          }
        }
      } catch (error) {
        if (cancelled) return; // the agent moved on; the model's request was aborted with it
        const { body } = toErrorBody(error, "stream-fresh-suggestion");
        send({ type: "error", code: body.error.code, message: body.error.message });
      }
      if (!cancelled) controller.close();
    },
    cancel() {
      cancelled = true;
      abort.abort();
      void events.return(undefined).catch(() => {});
    },
  });
}

async function saveSuggestion(replayId: string, suggestion: Suggestion): Promise<boolean> {
  const { rowCount } = await getPool().query(
    `UPDATE feedback_replay_log SET ai_reply = $2, model = $3, model_version_id = $4, updated_at = now()
     WHERE id = $1 AND status = 'pending'`,
    [replayId, suggestion.text, suggestion.version.label, suggestion.version.id],
  );
  return rowCount === 1;
}
