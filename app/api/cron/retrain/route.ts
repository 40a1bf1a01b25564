import { jsonError } from "@/lib/api/json-error";
import { verifyCronRequest } from "@/lib/cron";
import { summarizeOutcome } from "@/lib/retrain/run-retrain-cli";
import { runRetrain } from "@/lib/retrain/run-retrain";

export const dynamic = "force-dynamic";
export const maxDuration = 300;

/**
 * The weekly retrain (vercel.json: Mondays 06:00 UTC). Safe to deliver twice: the run of the ISO
 * week is done once; a failed one is resumed. A JSON summary (counts, status) for the scheduler's log.
 */
export async function GET(request: Request) {
  try {
    verifyCronRequest(request);
    const outcome = await runRetrain({ trigger: "cron" });
    return Response.json(summarizeOutcome(outcome), { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return jsonError(error, "api/cron/retrain", { "WWW-Authenticate": "Bearer" });
  }
}
