import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { POST } from "@/app/api/feedback-replay/route";
import { limitSignInAttempts } from "@/lib/auth/limit-sign-in-attempts";
import { getDb } from "@/lib/db/client";
import { feedbackReplayLog } from "@/lib/db/schema";
import { resetEnvCache } from "@/lib/env";
import { enforceRateLimit, RateLimitError } from "@/lib/rate-limit/enforce-rate-limit";
import { createKey, unique } from "../support/factories";

/** The endpoints use one-minute windows: a sequence that straddles a minute boundary is run again. */
async function withinOneMinute(work: () => Promise<void>) {
  for (let tries = 0; ; tries++) {
    const minute = Math.floor(Date.now() / 60_000);
    try {
      await work();
      return;
    } catch (error) {
      if (tries > 0 || Math.floor(Date.now() / 60_000) === minute) throw error;
    }
  }
}

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});

async function attempt(work: () => Promise<unknown>) {
  try {
    await work();
    return "ok";
  } catch (error) {
    if (error instanceof RateLimitError) return error;
    throw error;
  }
}

describe("enforceRateLimit (PostgreSQL fixed window)", () => {
  it("lets `limit` requests through per key and window, then refuses with a Retry-After within the minute", async () => {
    const key = randomUUID();
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await attempt(() => enforceRateLimit({ bucket: "api", key, limit: 3, windowSeconds: 3600 })));
    expect(results.slice(0, 3)).toEqual(["ok", "ok", "ok"]);
    const refused = results[3] as RateLimitError;
    expect(refused).toBeInstanceOf(RateLimitError);
    expect(refused.status).toBe(429);
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(3600);
    // Another key has its own count.
    expect(await attempt(() => enforceRateLimit({ bucket: "api", key: randomUUID(), limit: 3, windowSeconds: 3600 }))).toBe("ok");
  });

  it("counts concurrent requests exactly: 25 at once against a limit of 10 let 10 through", async () => {
    const key = randomUUID();
    const results = await Promise.all(Array.from({ length: 25 }, () => attempt(() => enforceRateLimit({ bucket: "sign-in", key, limit: 10, windowSeconds: 3600 }))));
    expect(results.filter((r) => r === "ok")).toHaveLength(10);
  });
});

describe("rate limits on the endpoints", () => {
  it("POST /api/feedback-replay answers 429 with Retry-After once a key passes RATE_LIMIT_API_PER_MINUTE, and stores nothing then", async () => {
    vi.stubEnv("RATE_LIMIT_API_PER_MINUTE", "2");
    resetEnvCache();
    await withinOneMinute(async () => {
      const { key } = await createKey();
      const post = (message = unique("Refund?")) =>
        POST(
          new Request("http://localhost/api/feedback-replay", {
            method: "POST",
            headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
            body: JSON.stringify({ message, aiReply: "Soon.", feedback: "yes", agentReply: "Soon." }),
          }),
        );
      expect((await post()).status).toBe(201);
      expect((await post()).status).toBe(201);
      const refusedMessage = unique("Refund?");
      const limited = await post(refusedMessage);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect((await limited.json()).error.code).toBe("rate_limited");
      expect(await getDb().select().from(feedbackReplayLog).where(eq(feedbackReplayLog.message, refusedMessage))).toHaveLength(0);
      // A second key is not affected.
      const other = await createKey();
      expect((await POST(new Request("http://localhost/api/feedback-replay", { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${other.key}` }, body: JSON.stringify({ message: unique("Hi"), aiReply: "Hello", feedback: "yes", agentReply: "Hello" }) }))).status).toBe(201);
    });
  });

  it("sign-in steps are limited per client address; sessions and CSRF are not counted", async () => {
    vi.stubEnv("RATE_LIMIT_SIGNIN_PER_MINUTE", "2");
    resetEnvCache();
    await withinOneMinute(async () => {
      const ip = `198.51.100.${Math.floor(Math.random() * 250)}-${randomUUID()}`;
      const request = (path: string, from = ip) => new Request(`http://localhost${path}`, { method: "POST", headers: { "x-forwarded-for": `10.0.0.1, ${from}` } });
      expect(await limitSignInAttempts(request("/api/auth/session"))).toBeNull();
      expect(await limitSignInAttempts(request("/api/auth/signin/oidc"))).toBeNull();
      expect(await limitSignInAttempts(request("/api/auth/callback/oidc"))).toBeNull();
      for (let i = 0; i < 5; i++) expect(await limitSignInAttempts(request("/api/auth/csrf"))).toBeNull();
      const refused = await limitSignInAttempts(request("/api/auth/signin/oidc"));
      expect(refused?.status).toBe(429);
      expect(Number(refused?.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(await refused?.json()).toMatchObject({ error: { code: "rate_limited" }, url: expect.stringMatching(/^\/signin\?error=RateLimited&retryAfter=\d+$/) });
      // Another address is not affected.
      expect(await limitSignInAttempts(request("/api/auth/signin/oidc", `other-${randomUUID()}`))).toBeNull();
    });
  });
});
