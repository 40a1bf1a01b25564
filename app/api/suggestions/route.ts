import { readJsonBody } from "@/lib/api/read-json-body";
import { jsonError } from "@/lib/api/json-error";
import { verifyApiKey } from "@/lib/api-keys/verify-api-key";
import { createSuggestion } from "@/lib/ai/create-suggestion";
import { suggestionRequestSchema } from "@/lib/ai/schemas";
import { readEnv } from "@/lib/env";
import { enforceRateLimit } from "@/lib/rate-limit/enforce-rate-limit";

export const dynamic = "force-dynamic";

/**
 * The helpdesk asks for a suggested reply: `Authorization: Bearer <key>` with the `suggest` scope,
 * `{ message, ticketId?, topic? }` → 201 `{ replayId, aiReply, model, provider }`. The replay
 * lands in the agents' queue. Over RATE_LIMIT_API_PER_MINUTE per key: 429 + Retry-After. Provider failures answer 502/503/504 with what to fix.
 */
export async function POST(request: Request) {
  try {
    const auth = await verifyApiKey(request.headers.get("authorization"), "suggest");
    if (!auth.ok) {
      return Response.json(
        { error: { code: auth.status === 401 ? "unauthorized" : "forbidden", message: auth.message } },
        { status: auth.status, headers: auth.status === 401 ? { "WWW-Authenticate": "Bearer" } : undefined },
      );
    }
    await enforceRateLimit({ bucket: "api", key: auth.caller.id });
    const input = await readJsonBody(request, suggestionRequestSchema, readEnv().API_MAX_BODY_BYTES);
    return Response.json(await createSuggestion({ input }), { status: 201 });
  } catch (error) {
    return jsonError(error, "api/suggestions");
  }
}
