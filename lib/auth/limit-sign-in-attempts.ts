import "server-only";
import { clientIp } from "@/lib/api/client-ip";
import { enforceRateLimit, RateLimitError } from "@/lib/rate-limit/enforce-rate-limit";

/** Starting a sign-in or finishing one (the provider's callback); sessions and CSRF are free. */
const COUNTED = /\/api\/auth\/(signin|callback)\//;

/**
 * Rate-limits sign-in attempts per client address (RATE_LIMIT_SIGNIN_PER_MINUTE). Returns the
 * 429 to send, or null. The JSON body carries `url` because next-auth's signIn() in the browser
 * follows it: the user lands on the sign-in page with a message instead of a raw error.
 */
export async function limitSignInAttempts(request: Request): Promise<Response | null> {
  const { pathname } = new URL(request.url);
  if (!COUNTED.test(pathname)) return null;
  try {
    await enforceRateLimit({ bucket: "sign-in", key: clientIp(request.headers) });
    return null;
  } catch (error) {
    if (!(error instanceof RateLimitError)) throw error;
    return Response.json(
      { error: { code: error.code, message: error.message }, url: `/signin?error=RateLimited&retryAfter=${error.retryAfterSeconds}` },
      { status: 429, headers: { "Retry-After": String(error.retryAfterSeconds), "Cache-Control": "no-store" } },
    );
  }
}
