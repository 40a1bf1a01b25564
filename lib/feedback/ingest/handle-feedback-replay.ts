import "server-only";
import { checkJsonHeaders, parseJsonBody } from "@/lib/api/read-json-body";
import { verifyApiKey } from "@/lib/api-keys/verify-api-key";
import { readEnv } from "@/lib/env";
import { toErrorBody, UserError } from "@/lib/errors";
import { feedbackReplayInputSchema } from "@/lib/feedback/schemas";
import { createMicroBatcher } from "@/lib/feedback/ingest/create-micro-batcher";
import { storeApiFeedbackBatch } from "@/lib/feedback/ingest/store-api-feedback-batch";
import { RateLimitError } from "@/lib/rate-limit/enforce-rate-limit";

/** What POST /api/feedback-replay needs from an HTTP request, whichever server received it. */
export type IngestRequest = {
  header: (name: string) => string | null;
  /** The raw body, refused with a 413 UserError past `maxBytes` (also when chunked). */
  readBody: (maxBytes: number) => Promise<Buffer>;
};

export type IngestResponse = {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** A new "not useful" replay whose self-critique the caller schedules after responding. */
  analyse: string | null;
};

// Key rows are cached this long: the insert re-checks revocation in the same statement.
const KEY_CACHE_MS = 10_000;

// One per process: concurrent submissions share statements and commits (see createMicroBatcher).
const batcher = createMicroBatcher({ flush: storeApiFeedbackBatch });

/**
 * POST /api/feedback-replay, independent of the HTTP server: the Next.js route handler and the
 * production front server (lib/server/create-front-server.ts) both answer through it, so the
 * contract in PRODUCT.md has one implementation.
 */
export async function handleFeedbackReplay(request: IngestRequest): Promise<IngestResponse> {
  try {
    const auth = await verifyApiKey(request.header("authorization"), "feedback:write", { cacheMs: KEY_CACHE_MS });
    if (!auth.ok) {
      return {
        status: auth.status,
        headers: auth.status === 401 ? { "WWW-Authenticate": "Bearer" } : {},
        body: { error: { code: auth.status === 401 ? "unauthorized" : "forbidden", message: auth.message } },
        analyse: null,
      };
    }
    const idempotencyKey = request.header("idempotency-key");
    if (idempotencyKey !== null && !/^[\x21-\x7e]{1,255}$/.test(idempotencyKey)) {
      throw new UserError({ code: "invalid_idempotency_key", message: "Idempotency-Key must be 1-255 visible ASCII characters." });
    }
    const maxBytes = readEnv().API_MAX_BODY_BYTES;
    checkJsonHeaders(request.header("content-type"), request.header("content-length"), maxBytes);
    const input = parseJsonBody(await request.readBody(maxBytes), feedbackReplayInputSchema);
    const outcome = await batcher.submit({ apiKeyId: auth.caller.id, idempotencyKey, input });
    if (!outcome.ok) throw outcome.error;
    return {
      status: 201,
      headers: {},
      body: outcome.stored,
      analyse: outcome.created && input.feedback === "no" ? outcome.stored.id : null,
    };
  } catch (error) {
    const { status, body, headers } = toErrorBody(error, "api/feedback-replay");
    if (error instanceof RateLimitError) headers["Retry-After"] = String(error.retryAfterSeconds);
    return { status, headers, body, analyse: null };
  }
}
