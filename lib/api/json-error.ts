import "server-only";
import { toErrorBody } from "@/lib/errors";
import { RateLimitError } from "@/lib/rate-limit/enforce-rate-limit";

/**
 * The JSON error response every route handler uses: `{ error: { code, message, issues? } }`;
 * a rate limit or a database outage adds its Retry-After.
 */
export function jsonError(error: unknown, context: string, headers?: HeadersInit): Response {
  const { status, body, headers: errorHeaders } = toErrorBody(error, context);
  const merged = new Headers(headers);
  for (const [name, value] of Object.entries(errorHeaders)) merged.set(name, value);
  if (error instanceof RateLimitError) merged.set("Retry-After", String(error.retryAfterSeconds));
  return Response.json(body, { status, headers: merged });
}
