import { jsonError } from "@/lib/api/json-error";
import { requireUser } from "@/lib/auth/session";
import { UserError } from "@/lib/errors";
import { releaseReplay } from "@/lib/feedback/release-replay";
import { replayReservationSchema } from "@/lib/feedback/schemas";

export const dynamic = "force-dynamic";

/**
 * Letting go of a replay when the agent leaves the page: the view sends this with
 * `fetch(…, { keepalive: true })` on pagehide, where a server action cannot run. Signed-in agents
 * and up, and only their own hold (the rule is in the DELETE's WHERE). Session cookies are
 * SameSite=Lax, so another site cannot send it with the agent's session.
 */
export async function DELETE(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  try {
    const user = await requireUser("agent");
    const parsed = replayReservationSchema.safeParse({ replayId: (await params).id });
    if (!parsed.success) throw new UserError({ code: "invalid_request", message: "This is not a replay id." });
    const released = await releaseReplay({ replayId: parsed.data.replayId, agentId: user.id });
    return Response.json({ released }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return jsonError(error, "api/replays/reservation");
  }
}
