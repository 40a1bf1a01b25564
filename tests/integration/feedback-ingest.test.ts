import { groupPendingReplays } from "@/lib/meaning/group-pending-replays";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { revokeApiKey } from "@/lib/api-keys/revoke-api-key";
import { getPool } from "@/lib/db/client";
import { storeApiFeedbackBatch, type ApiFeedbackItem } from "@/lib/feedback/ingest/store-api-feedback-batch";
import type { FeedbackReplayInput } from "@/lib/feedback/schemas";
import { RateLimitError } from "@/lib/rate-limit/enforce-rate-limit";
import { createFrontServer } from "@/lib/server/create-front-server";
import { readEnv } from "@/lib/env";
import { createKey, createUser, findExamplesForReplay, findReplay, unique } from "../support/factories";

const input = (overrides: Partial<FeedbackReplayInput> = {}): FeedbackReplayInput => ({
  message: unique("Where is my parcel"),
  aiReply: "It is on its way.",
  agentReply: "It was delayed by the carrier; it arrives tomorrow.",
  feedback: "no",
  ticketId: unique("T"),
  ...overrides,
});

async function countTickets(ticketIds: string[]): Promise<number> {
  const { rows } = await getPool().query("SELECT count(*)::int AS n FROM feedback_replay_log WHERE ticket_id = ANY($1)", [ticketIds]);
  return rows[0].n;
}

describe("storeApiFeedbackBatch (the helpdesk API's group commit)", () => {
  it("stores a batch in one go, each item with its own replay, example and agent", async () => {
    const { id: apiKeyId } = await createKey();
    const agent = await createUser("agent");
    const items: ApiFeedbackItem[] = Array.from({ length: 12 }, (_, i) => ({
      apiKeyId,
      idempotencyKey: null,
      input: input({ feedback: i % 3 === 0 ? "no" : "yes", agentEmail: i === 0 ? agent.email.toUpperCase() : null, agentReply: i === 3 ? "N/A" : "Sent a label." }),
    }));
    const outcomes = await storeApiFeedbackBatch(items);
    await groupPendingReplays({ waitMs: 30_000 });
    for (const [i, outcome] of outcomes.entries()) {
      if (!outcome.ok) throw outcome.error;
      const replay = await findReplay(outcome.stored.id);
      expect(replay).toMatchObject({ message: items[i]!.input.message, feedback: items[i]!.input.feedback, status: "submitted", source: "api" });
      expect(replay?.promptGroupId).toEqual(expect.any(String));
      const examples = await findExamplesForReplay(outcome.stored.id);
      expect(examples.map((e) => e.id)).toEqual(outcome.stored.trainingExampleId ? [outcome.stored.trainingExampleId] : []);
      expect(outcome.stored.trainingExampleId !== null).toBe(items[i]!.input.feedback === "no");
    }
    expect((await findReplay((outcomes[0] as { stored: { id: string } }).stored.id))?.agentId).toBe(agent.id);
    // "N/A" is no completion: kept as an example that needs one, never as training text.
    const [placeholder] = await findExamplesForReplay((outcomes[3] as { stored: { id: string } }).stored.id);
    expect(placeholder).toMatchObject({ status: "needs_completion", completion: "" });
  });

  it("answers a repeated Idempotency-Key in the same batch and in a later one with the first body", async () => {
    const { id: apiKeyId } = await createKey();
    const key = randomUUID();
    const body = input();
    const [first, twin, different] = await storeApiFeedbackBatch([
      { apiKeyId, idempotencyKey: key, input: body },
      { apiKeyId, idempotencyKey: key, input: body },
      { apiKeyId, idempotencyKey: key, input: { ...body, agentReply: "Another reply" } },
    ]);
    expect(first).toMatchObject({ ok: true, created: true });
    expect(twin).toEqual({ ok: true, created: false, stored: (first as { stored: unknown }).stored });
    expect(different).toMatchObject({ ok: false, error: expect.objectContaining({ status: 422, code: "idempotency_key_reused" }) });
    const [later] = await storeApiFeedbackBatch([{ apiKeyId, idempotencyKey: key, input: body }]);
    expect(later).toEqual({ ok: true, created: false, stored: (first as { stored: unknown }).stored });
    expect(await countTickets([body.ticketId!])).toBe(1);
  });

  it("counts every item against its key's rate limit and refuses the ones past it", async () => {
    const { id: apiKeyId } = await createKey();
    const other = await createKey();
    // Spend all but two of this minute's allowance, as earlier requests would have.
    await getPool().query(
      `INSERT INTO rate_limit_counters (bucket, window_start, count)
       VALUES ($1, to_timestamp(floor(extract(epoch FROM clock_timestamp()) / 60) * 60), $2)`,
      [`api:${apiKeyId}`, readEnv().RATE_LIMIT_API_PER_MINUTE - 2],
    );
    const limited = Array.from({ length: 4 }, () => ({ apiKeyId, idempotencyKey: null, input: input() }));
    const outcomes = await storeApiFeedbackBatch([...limited, { apiKeyId: other.id, idempotencyKey: null, input: input() }]);
    // A window that just turned over would allow all: then this test says nothing, so check it did not.
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, false, false, true]);
    const refused = outcomes[2] as { error: RateLimitError };
    expect(refused.error).toBeInstanceOf(RateLimitError);
    expect(refused.error.retryAfterSeconds).toBeGreaterThan(0);
    expect(await countTickets(limited.map((l) => l.input.ticketId!))).toBe(2);
  });

  it("writes nothing for a key revoked after it was checked", async () => {
    const key = await createKey();
    await revokeApiKey(key.prefix);
    const body = input();
    const [outcome] = await storeApiFeedbackBatch([{ apiKeyId: key.id, idempotencyKey: randomUUID(), input: body }]);
    expect(outcome).toMatchObject({ ok: false, error: expect.objectContaining({ status: 401 }) });
    expect(await countTickets([body.ticketId!])).toBe(0);
  });

  it("does not let one bad row fail the others in its batch", async () => {
    const { id: apiKeyId } = await createKey();
    const good = [input(), input()];
    // PostgreSQL text cannot hold NUL: the batch statement fails, then each row is tried alone.
    const bad = input({ aiReply: "broken \u0000 reply" });
    const outcomes = await storeApiFeedbackBatch([good[0]!, bad, good[1]!].map((i) => ({ apiKeyId, idempotencyKey: null, input: i })));
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    expect(await countTickets(good.map((g) => g.ticketId!))).toBe(2);
    expect(await countTickets([bad.ticketId!])).toBe(0);
  });
});

describe("the production front server", () => {
  let upstream: http.Server;
  let front: http.Server;
  let base: string;
  const seen: { url: string; forwardedFor: string | undefined; forwardedHost: string | undefined; body: string }[] = [];

  beforeAll(async () => {
    // Stands in for Next.js behind the front server: echoes, streams, sets two cookies.
    upstream = http.createServer((request, response) => {
      let body = "";
      request.on("data", (c: Buffer) => (body += c.toString()));
      request.on("end", () => {
        seen.push({ url: request.url!, forwardedFor: request.headers["x-forwarded-for"] as string | undefined, forwardedHost: request.headers["x-forwarded-host"] as string | undefined, body });
        if (request.url === "/stream") {
          response.writeHead(200, { "content-type": "text/plain" });
          response.write("first ");
          setTimeout(() => response.end("second"), 50);
          return;
        }
        response.setHeader("set-cookie", ["a=1; Path=/", "b=2; Path=/"]);
        response.writeHead(200, { "content-type": "text/plain", connection: "keep-alive" });
        response.end(`${request.method} ${request.url}`);
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    front = createFrontServer({ upstreamPort: (upstream.address() as AddressInfo).port });
    await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => front.close(resolve));
    await new Promise((resolve) => upstream.close(resolve));
  });

  it("answers POST /api/feedback-replay itself, with the API's contract", async () => {
    const { key } = await createKey();
    const body = input();
    const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    const created = await fetch(`${base}/api/feedback-replay`, { method: "POST", headers, body: JSON.stringify(body) });
    expect(created.status).toBe(201);
    const json = await created.json();
    expect((await findReplay(json.id))?.message).toBe(body.message);
    expect(seen.some((s) => s.url.startsWith("/api/feedback-replay"))).toBe(false);

    const missing = await fetch(`${base}/api/feedback-replay`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe("Bearer");
    const bad = await fetch(`${base}/api/feedback-replay?x=1`, { method: "POST", headers, body: JSON.stringify({ message: "" }) });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.issues.map((i: { path: string }) => i.path)).toContain("message");
  });

  it("refuses an oversized chunked body with 413 without reading it all", async () => {
    const { key } = await createKey();
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.request(`${base}/api/feedback-replay`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "transfer-encoding": "chunked" },
      });
      request.on("response", (response) => resolve(response.statusCode!));
      request.on("error", reject);
      const chunk = "x".repeat(64 * 1024);
      for (let i = 0; i < 20; i++) request.write(chunk);
      request.end();
    });
    expect(status).toBe(413);
  });

  it("passes everything else to Next.js: method, path, body, cookies, client address", async () => {
    const response = await fetch(`${base}/replays?topic=billing`, { method: "PUT", body: "hello", headers: { "x-forwarded-for": "203.0.113.9", "x-forwarded-host": "evil.example" } });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("PUT /replays?topic=billing");
    expect(response.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; Path=/"]);
    const last = seen.at(-1)!;
    expect(last.body).toBe("hello");
    // The sender's claim stays first; the address the front server saw is appended last.
    expect(last.forwardedFor).toMatch(/^203\.0\.113\.9, (::ffff:)?127\.0\.0\.1$/);
    // With no trusted proxy (TRUSTED_PROXY_HOPS=0), the client's own X-Forwarded-Host is replaced.
    expect(last.forwardedHost).toBe(new URL(base).host);
    const get = await fetch(`${base}/api/feedback-replay`);
    expect(await get.text()).toBe("GET /api/feedback-replay");
  });

  it("streams a response through as it comes", async () => {
    const response = await fetch(`${base}/stream`);
    const reader = response.body!.getReader();
    // The first part arrives while the upstream still holds the rest back.
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe("first ");
    let rest = "";
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += new TextDecoder().decode(chunk.value);
    expect(rest).toBe("second");
  });

  it("answers 502 while Next.js is not listening", async () => {
    const port = (upstream.address() as AddressInfo).port;
    const lonely = createFrontServer({ upstreamPort: port === 1 ? 2 : 1 });
    await new Promise<void>((resolve) => lonely.listen(0, "127.0.0.1", resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(lonely.address() as AddressInfo).port}/replays`);
      expect(response.status).toBe(502);
      expect(await response.text()).toMatch(/starting/);
    } finally {
      await new Promise((resolve) => lonely.close(resolve));
    }
  });
});
