import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { closeDb, useDatabaseUrl } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/errors";
import { resetEnvCache } from "@/lib/env";
import { createFrontServer } from "@/lib/server/create-front-server";
import { createKey, createPendingReplay, createUser } from "../support/factories";
import { withRequestHeaders } from "../security/support/request-scope";
import { sessionCookie } from "../security/support/sessions";

vi.mock("next/headers", async () => (await import("../security/support/session-seam")).nextHeaders);
vi.mock("next-auth", async (original) => (await import("../security/support/session-seam")).withRequestSession(await original()));

const SECRET = randomBytes(32).toString("base64url");
const CRON_SECRET = randomBytes(24).toString("base64url");
let key: string;
let cookie: string;
let replayId: string;

// This file's pool is pointed at a port where nothing listens: every query meets ECONNREFUSED, as
// with a stopped database. (tests/faults stops and kills a real one.)
beforeAll(async () => {
  vi.stubEnv("NEXTAUTH_SECRET", SECRET);
  vi.stubEnv("NEXTAUTH_URL", "http://localhost");
  vi.stubEnv("CRON_SECRET", CRON_SECRET);
  vi.stubEnv("OIDC_ISSUER", "");
  vi.stubEnv("OIDC_PROVIDERS", "");
  resetEnvCache();
  key = (await createKey(["feedback:write", "suggest", "training:export"])).key;
  const user = await createUser("manager");
  cookie = await sessionCookie({ id: user.id, email: user.email, name: user.name ?? "T", role: "manager" }, SECRET);
  replayId = (await createPendingReplay()).id;
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const deadPort = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  await closeDb();
  useDatabaseUrl(`postgres://postgres:postgres@127.0.0.1:${deadPort}/gone`);
});

afterAll(() => vi.unstubAllEnvs());

async function expectOutage(response: Response) {
  expect(response.status).toBe(503);
  expect(response.headers.get("retry-after")).toBe("5");
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe("database_unavailable");
  expect(body.error.message).toMatch(/database is unavailable/);
}

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "content-type": "application/json", authorization: `Bearer ${key}`, ...headers },
  body: JSON.stringify(body),
});

describe("a database outage is a 503 database_unavailable with Retry-After (was 500 internal_error)", () => {
  it("on ingest, suggestions, export, cron, the queue; health says 503 with Retry-After too", async () => {
    const { POST: ingest } = await import("@/app/api/feedback-replay/route");
    const { POST: suggest } = await import("@/app/api/suggestions/route");
    const { GET: exportJsonl } = await import("@/app/api/training/export/route");
    const { GET: retrain } = await import("@/app/api/cron/retrain/route");
    const { GET: queue } = await import("@/app/api/queue/route");
    const { GET: health } = await import("@/app/api/health/route");
    // Ingest's API key is cached for 10 s: the first call may be answered from the cache, the
    // insert still needs the database.
    await expectOutage(await ingest(new Request("http://localhost/api/feedback-replay", json({ message: "m", aiReply: "a", agentReply: "b", feedback: "yes" }))));
    await expectOutage(await suggest(new Request("http://localhost/api/suggestions", json({ message: "where is my refund" }))));
    await expectOutage(await exportJsonl(new Request("http://localhost/api/training/export", { headers: { authorization: `Bearer ${key}` } })));
    await expectOutage(await retrain(new Request("http://localhost/api/cron/retrain", { headers: { authorization: `Bearer ${CRON_SECRET}` } })));
    await expectOutage((await withRequestHeaders(new Headers({ cookie }), () => queue(new Request("http://localhost/api/queue")))) as Response);
    const healthResponse = await health();
    expect(healthResponse.status).toBe(503);
    expect(healthResponse.headers.get("retry-after")).toBe("5");
  });

  it("through the production front server's ingest", async () => {
    const front = createFrontServer({ upstreamPort: 1 });
    await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
    try {
      const base = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
      await expectOutage(await fetch(`${base}/api/feedback-replay`, json({ message: "m", aiReply: "a", agentReply: "b", feedback: "yes" })));
    } finally {
      await new Promise((resolve) => front.close(resolve));
    }
  });

  it("server actions answer database_unavailable, so the replay view can keep the draft and say so", async () => {
    const { submitFeedbackAction } = await import("@/app/replays/actions");
    const result = await withRequestHeaders(new Headers({ cookie }), () =>
      submitFeedbackAction({ replayId, submissionId: crypto.randomUUID(), agentReply: "Refunded.", feedback: "yes" }),
    );
    expect(result).toMatchObject({ ok: false, code: "database_unavailable" });
  });

  it("the classifier: connection errors and shutdown SQLSTATEs, through Drizzle's cause; not query errors", () => {
    const pgError = (code: string, message = "x") => Object.assign(new Error(message), { code });
    expect(isDatabaseUnavailable(pgError("ECONNREFUSED"))).toBe(true);
    expect(isDatabaseUnavailable(pgError("57P01", "terminating connection due to administrator command"))).toBe(true);
    expect(isDatabaseUnavailable(pgError("57P03", "the database system is starting up"))).toBe(true);
    expect(isDatabaseUnavailable(pgError("08006"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("Failed query: select 1", { cause: pgError("57P01") }))).toBe(true);
    expect(isDatabaseUnavailable(pgError("23505", "duplicate key"))).toBe(false);
    expect(isDatabaseUnavailable(pgError("42P01", "relation does not exist"))).toBe(false);
    expect(isDatabaseUnavailable("ECONNREFUSED")).toBe(false);
  });
});
