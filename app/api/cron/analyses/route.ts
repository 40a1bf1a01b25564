import { jsonError } from "@/lib/api/json-error";
import { retryPendingAnalyses } from "@/lib/ai/retry-pending-analyses";
import { verifyCronRequest } from "@/lib/cron";

export const dynamic = "force-dynamic";

/**
 * The scheduler's catch-up for self-critiques that after() did not finish (a restart, a provider
 * outage, the backfill of older misses). Safe to run twice at once: rows are claimed by a status flip.
 */
export async function GET(request: Request) {
  try {
    verifyCronRequest(request);
    const summary = await retryPendingAnalyses({ limit: 200 });
    return Response.json({ status: "ok", ...summary }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return jsonError(error, "api/cron/analyses", { "WWW-Authenticate": "Bearer" });
  }
}
