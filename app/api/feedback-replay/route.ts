import { readJsonBody } from "@/lib/api/read-json-body";
import { jsonError } from "@/lib/api/json-error";
import { verifyApiKey } from "@/lib/api-keys/verify-api-key";
import { scheduleFailureAnalysis } from "@/lib/ai/schedule-failure-analysis";
import { readEnv } from "@/lib/env";
import { UserError } from "@/lib/errors";
import { recordApiFeedback } from "@/lib/feedback/record-api-feedback";
import { enforceRateLimit } from "@/lib/rate-limit/enforce-rate-limit";
import { feedbackReplayInputSchema } from "@/lib/feedback/schemas";

export const dynamic = "force-dynamic";

/** The helpdesk reports a sent reply: `Authorization: Bearer <key>` with the feedback:write scope. */
export async function POST(request: Request) {
  try {
    const auth = await verifyApiKey(request.headers.get("authorization"), "feedback:write");
    if (!auth.ok) {
      return Response.json(
        { error: { code: auth.status === 401 ? "unauthorized" : "forbidden", message: auth.message } },
        { status: auth.status, headers: auth.status === 401 ? { "WWW-Authenticate": "Bearer" } : undefined },
      );
    }
    await enforceRateLimit({ bucket: "api", key: auth.caller.id });
    const idempotencyKey = request.headers.get("idempotency-key");
    if (idempotencyKey !== null && !/^[\x21-\x7e]{1,255}$/.test(idempotencyKey)) {
      throw new UserError({ code: "invalid_idempotency_key", message: "Idempotency-Key must be 1-255 visible ASCII characters." });
    }
    const input = await readJsonBody(request, feedbackReplayInputSchema, readEnv().API_MAX_BODY_BYTES);
    const stored = await recordApiFeedback({ apiKeyId: auth.caller.id, idempotencyKey, input });
    // The self-critique runs after the response; its pending row was written with the replay.
    if (input.feedback === "no") scheduleFailureAnalysis(stored.id);
    return Response.json(stored, { status: 201 });
  } catch (error) {
    return jsonError(error, "api/feedback-replay");
  }
}
