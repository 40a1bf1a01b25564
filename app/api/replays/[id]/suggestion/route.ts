import { jsonError } from "@/lib/api/json-error";
import { replayIdSchema } from "@/lib/ai/schemas";
import { streamFreshSuggestion } from "@/lib/ai/stream-fresh-suggestion";
import { requireUser } from "@/lib/auth/session";
import { UserError } from "@/lib/errors";
import { enforceRateLimit } from "@/lib/rate-limit/enforce-rate-limit";

export const dynamic = "force-dynamic";

/**
 * "Get a fresh suggestion" from the replay view. A route handler rather than a server action
 * because it streams: NDJSON lines `start`, `delta`…, then `done` (or `error`), as the model
 * writes. Signed-in agents and up. Session cookies are SameSite=Lax, so another site cannot post here.
 */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  try {
    const user = await requireUser("agent");
    // Each fresh suggestion is a model call: one agent's clicks count against the API limit.
    await enforceRateLimit({ bucket: "api", key: "user:" + user.id });
    const id = replayIdSchema.safeParse((await params).id);
    if (!id.success) throw new UserError({ code: "invalid_request", message: "This is not a replay id." });
    const stream = await streamFreshSuggestion({ replayId: id.data, signal: request.signal });
    return new Response(stream, {
      headers: {
        "Content-Type": "application/x-ndjson; charset=utf-8",
        "Cache-Control": "no-store, no-transform",
        "X-Accel-Buffering": "no",
      },
    });
  } catch (error) {
    return jsonError(error, "api/replays/suggestion");
  }
}
