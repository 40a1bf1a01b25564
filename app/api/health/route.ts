import { getPool } from "@/lib/db/client";
import { DATABASE_RETRY_AFTER_SECONDS } from "@/lib/errors";

export const dynamic = "force-dynamic";

/** Public by design: load balancers call it. It says only whether the database answers. */
export async function GET() {
  try {
    await getPool().query("SELECT 1");
    return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
  } catch {
    return Response.json({ status: "unavailable", reason: "database" }, { status: 503, headers: { "Cache-Control": "no-store", "Retry-After": String(DATABASE_RETRY_AFTER_SECONDS) } });
  }
}
