import "server-only";
import { getPool } from "@/lib/db/client";
import { readEnv } from "@/lib/env";
import { UserError } from "@/lib/errors";

/** A refused request: 429 with `Retry-After` (jsonError adds the header). */
export class RateLimitError extends UserError {
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number, message: string) {
    super({ code: "rate_limited", status: 429, message });
    this.name = "RateLimitError";
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export type RateLimitBucket = "api" | "sign-in";


function limitFor(bucket: RateLimitBucket): number {
  const env = readEnv();
  return bucket === "api" ? env.RATE_LIMIT_API_PER_MINUTE : env.RATE_LIMIT_SIGNIN_PER_MINUTE;
}

/**
 * Counts one request against `key` (an API key id, `user:<id>`, or a client address) in a
 * fixed one-minute window kept in PostgreSQL, so every app instance shares the count; throws
 * RateLimitError once the bucket's limit (RATE_LIMIT_API_PER_MINUTE / RATE_LIMIT_SIGNIN_PER_MINUTE)
 * is passed. One statement, one round trip. Add it to a route handler after authenticating:
 *
 *   await enforceRateLimit({ bucket: "api", key: auth.caller.id });
 */
export async function enforceRateLimit({
  bucket,
  key,
  limit = limitFor(bucket),
  windowSeconds = 60,
}: {
  bucket: RateLimitBucket;
  key: string;
  limit?: number;
  windowSeconds?: number;
}) {
  const { rows } = await getPool().query<{ count: number; retry_after: number }>(
    `INSERT INTO rate_limit_counters AS c (bucket, window_start, count)
     VALUES ($1, to_timestamp(floor(extract(epoch FROM clock_timestamp()) / $2) * $2), 1)
     ON CONFLICT (bucket, window_start) DO UPDATE SET count = c.count + 1
     RETURNING c.count, ceil(extract(epoch FROM c.window_start + make_interval(secs => $2) - clock_timestamp()))::int AS retry_after`,
    [`${bucket}:${key}`, windowSeconds],
  );
  // Old windows are useless; about one request in a hundred clears them, off the request's path.
  if (Math.random() < 0.01) {
    getPool()
      .query("DELETE FROM rate_limit_counters WHERE window_start < now() - interval '1 day'")
      .catch((error: Error) => console.error("[rate-limit] cleanup:", error.message));
  }
  const row = rows[0]!;
  if (row.count > limit) {
    const retryAfter = Math.max(1, row.retry_after);
    throw new RateLimitError(
      retryAfter,
      bucket === "api"
        ? `Too many requests for this API key (limit ${limit} per ${windowSeconds} seconds). Retry after ${retryAfter} seconds.`
        : `Too many sign-in attempts from your network. Wait ${retryAfter} seconds and try again.`,
    );
  }
}
