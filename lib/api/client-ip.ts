/**
 * The caller's address for rate limits and the audit log: the last X-Forwarded-For entry, which
 * is the one added by the nearest proxy (or by Next.js itself when nothing sent the header).
 * Behind a reverse proxy, make it append the client address (nginx: $proxy_add_x_forwarded_for).
 */
export function clientIp(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for");
  const last = forwarded?.split(",").at(-1)?.trim();
  return (last || headers.get("x-real-ip") || "unknown").slice(0, 64);
}
