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
export async function enforceRateLimit(options: { bucket: RateLimitBucket; key: string; limit?: number; windowSeconds?: number }) {
  const [refusal] = await countRateLimited({ ...options, keys: [options.key] });
  if (refusal) throw refusal;
}

/**
 * The batched form, for a write path that groups many requests in one statement: counts one
 * request per entry of `keys` (a key may repeat) in one upsert, and returns for each entry null
 * (allowed) or the RateLimitError to answer with. Within a batch, a key's earlier entries are
 * counted first, exactly as if the requests had come one after another.
 */
export async function countRateLimited({
  bucket,
  keys,
  limit = limitFor(bucket),
  windowSeconds = 60,
}: {
  bucket: RateLimitBucket;
  keys: string[];
  limit?: number;
  windowSeconds?: number;
}): Promise<(RateLimitError | null)[]> {
  const perKey = new Map<string, number>();
  for (const key of keys) perKey.set(key, (perKey.get(key) ?? 0) + 1);
  // Sorted, so two batches that share keys lock the counter rows in the same order.
  const distinct = [...perKey.keys()].sort();
  const { rows } = await getPool().query<{ key: string; count: number; retry_after: number }>(
    `INSERT INTO rate_limit_counters AS c (bucket, window_start, count)
     SELECT $1 || ':' || u.key, to_timestamp(floor(extract(epoch FROM clock_timestamp()) / $2) * $2), u.n
     FROM unnest($3::text[], $4::int[]) WITH ORDINALITY AS u(key, n, ord)
     ORDER BY u.ord
     ON CONFLICT (bucket, window_start) DO UPDATE SET count = c.count + excluded.count
     RETURNING substr(c.bucket, length($1) + 2) AS key, c.count,
       ceil(extract(epoch FROM c.window_start + make_interval(secs => $2) - clock_timestamp()))::int AS retry_after`,
    [bucket, windowSeconds, distinct, distinct.map((k) => perKey.get(k)!)],
  );
  // Old windows are useless; about one call in a hundred clears them, off the request's path.
  if (Math.random() < 0.01) {
    getPool()
      .query("DELETE FROM rate_limit_counters WHERE window_start < now() - interval '1 day'")
      .catch((error: Error) => console.error("[rate-limit] cleanup:", error.message));
  }
  // The count before this batch, per key; each entry then takes the next number.
  const seen = new Map<string, number>();
  for (const row of rows) seen.set(row.key, row.count - perKey.get(row.key)!);
  const retryAfter = new Map(rows.map((row) => [row.key, Math.max(1, row.retry_after)]));
  return keys.map((key) => {
    const position = seen.get(key)! + 1;
    seen.set(key, position);
    if (position <= limit) return null;
    const wait = retryAfter.get(key)!;
    return new RateLimitError(
      wait,
      bucket === "api"
        ? `Too many requests for this API key (limit ${limit} per ${windowSeconds} seconds). Retry after ${wait} seconds.`
        : `Too many sign-in attempts from your network. Wait ${wait} seconds and try again.`,
    );
  });
}
