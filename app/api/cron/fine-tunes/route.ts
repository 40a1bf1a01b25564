import { jsonError } from "@/lib/api/json-error";
import { verifyCronRequest } from "@/lib/cron";
import { pollFineTunes } from "@/lib/retrain/run-retrain";

export const dynamic = "force-dynamic";
export const maxDuration = 300;

/** Every 30 minutes (vercel.json): checks the fine-tune jobs in progress; a finished one is evaluated. */
export async function GET(request: Request) {
  try {
    verifyCronRequest(request);
    return Response.json(await pollFineTunes(), { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return jsonError(error, "api/cron/fine-tunes", { "WWW-Authenticate": "Bearer" });
  }
}
