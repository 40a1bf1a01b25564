import { readEnv } from "@/lib/env";

/**
 * The caller's address for rate limits and the audit log. In production the front server appends
 * the address it saw to X-Forwarded-For (lib/server/create-front-server.ts), so the last entry is
 * the connecting peer; each of the TRUSTED_PROXY_HOPS reverse proxies in front of it appended the
 * address it saw, so the client is that many entries further left. Anything further left is the
 * client's own claim, and ignored: a forged header cannot pick its rate-limit bucket.
 */
export function clientIp(headers: Headers, hops = readEnv().TRUSTED_PROXY_HOPS): string {
  const entries = (headers.get("x-forwarded-for") ?? "").split(",").map((e) => e.trim()).filter(Boolean);
  const chosen = entries.length > 0 ? entries[Math.max(0, entries.length - 1 - hops)] : undefined;
  return (chosen || headers.get("x-real-ip") || "unknown").slice(0, 64);
}
