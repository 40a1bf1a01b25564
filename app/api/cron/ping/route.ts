import { jsonError } from "@/lib/api/json-error";
import { verifyCronRequest } from "@/lib/cron";

export const dynamic = "force-dynamic";

/** Lets an operator check the scheduler's set-up (secret and reachability) without running a job. */
export async function GET(request: Request) {
  try {
    verifyCronRequest(request);
    return Response.json({ status: "ok", at: new Date().toISOString() }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return jsonError(error, "api/cron/ping", { "WWW-Authenticate": "Bearer" });
  }
}
