import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { readEnv } from "@/lib/env";
import { UserError } from "@/lib/errors";

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

/**
 * Every GET /api/cron/* route calls this first: `Authorization: Bearer $CRON_SECRET`, compared
 * in constant time (both sides hashed to equal length). With CRON_SECRET unset the routes are
 * closed, never open by default. Vercel Cron sends exactly this header when CRON_SECRET is set.
 */
export function verifyCronRequest(request: Request): void {
  const secret = readEnv().CRON_SECRET;
  if (!secret) {
    throw new UserError({
      code: "cron_not_configured",
      status: 503,
      message: "Scheduled jobs are switched off: set CRON_SECRET (16+ characters) on the server and send it as `Authorization: Bearer <CRON_SECRET>`.",
    });
  }
  const given = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "")?.[1] ?? "";
  if (!timingSafeEqual(digest(given), digest(secret))) {
    throw new UserError({ code: "unauthorized", status: 401, message: "Send the scheduler's secret as `Authorization: Bearer <CRON_SECRET>`." });
  }
}
