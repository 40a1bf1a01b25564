import { jsonError } from "@/lib/api/json-error";
import { requireUser } from "@/lib/auth/session";
import { UserError } from "@/lib/errors";
import { listQueue } from "@/lib/feedback/list-queue";
import { queueQuerySchema } from "@/lib/feedback/schemas";

export const dynamic = "force-dynamic";

/** The replay view polls this to show new replays without a reload. Signed-in agents and up. */
export async function GET(request: Request) {
  try {
    const user = await requireUser("agent");
    const params = Object.fromEntries(new URL(request.url).searchParams);
    const query = queueQuerySchema.safeParse(params);
    if (!query.success) throw new UserError({ code: "invalid_request", message: "Invalid queue filter." });
    return Response.json(await listQueue({ ...query.data, viewerId: user.id }), { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return jsonError(error, "api/queue");
  }
}
