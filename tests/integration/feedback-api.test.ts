import { randomUUID } from "node:crypto";
import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { POST } from "@/app/api/feedback-replay/route";
import { revokeApiKey } from "@/lib/api-keys/revoke-api-key";
import { getDb } from "@/lib/db/client";
import { feedbackReplayLog } from "@/lib/db/schema";
import { createKey, findExamplesForReplay, findReplay, unique } from "../support/factories";

function post(body: unknown, { key, headers = {} }: { key?: string; headers?: Record<string, string> } = {}) {
  return POST(
    new Request("http://localhost/api/feedback-replay", {
      method: "POST",
      headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
}

const valid = () => ({ message: unique("Hey, I never got my refund"), aiReply: "Please wait.", agentReply: "Refund issued today.", feedback: "no", ticketId: unique("ZD") });

async function rowsWithTicket(ticketId: string) {
  const [row] = await getDb().select({ n: count() }).from(feedbackReplayLog).where(eq(feedbackReplayLog.ticketId, ticketId));
  return row!.n;
}

describe("POST /api/feedback-replay", () => {
  it("stores a replay and its training example: 201 { id, trainingExampleId }", async () => {
    const { key } = await createKey();
    const body = valid();
    const response = await post(body, { key });
    expect(response.status).toBe(201);
    const json = await response.json();
    expect(json).toEqual({ id: expect.any(String), trainingExampleId: expect.any(String) });
    expect(await findReplay(json.id)).toMatchObject({ message: body.message, ticketId: body.ticketId, feedback: "no", source: "api" });
    expect((await findExamplesForReplay(json.id))[0]?.id).toBe(json.trainingExampleId);
  });

  it("returns the same body for a repeated Idempotency-Key and stores one row, even concurrently", async () => {
    const { key } = await createKey();
    const body = valid();
    const headers = { "idempotency-key": randomUUID() };
    const responses = await Promise.all([1, 2, 3, 4].map(() => post(body, { key, headers })));
    const bodies = await Promise.all(responses.map((r) => r.json()));
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
    expect(await rowsWithTicket(body.ticketId)).toBe(1);
  });

  it("refuses a reused Idempotency-Key with a different body (422) and stores nothing", async () => {
    const { key } = await createKey();
    const headers = { "idempotency-key": randomUUID() };
    expect((await post(valid(), { key, headers })).status).toBe(201);
    const other = valid();
    const response = await post(other, { key, headers });
    expect(response.status).toBe(422);
    expect((await response.json()).error.code).toBe("idempotency_key_reused");
    expect(await rowsWithTicket(other.ticketId)).toBe(0);
  });

  it("answers 400 with field issues for bad input", async () => {
    const { key } = await createKey();
    const response = await post({ message: "", aiReply: 42, feedback: "maybe", extra: true }, { key });
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error.code).toBe("invalid_request");
    const paths = error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(["message", "aiReply", "feedback"]));
    expect(error.issues.every((i: { message: string }) => i.message.length > 0)).toBe(true);
  });

  it("answers 400 for a NUL character, which PostgreSQL text cannot hold", async () => {
    const { key } = await createKey();
    const body = { ...valid(), agentReply: "refund\u0000issued" };
    const response = await post(body, { key });
    expect(response.status).toBe(400);
    expect((await response.json()).error.issues).toEqual([{ path: "agentReply", message: expect.stringContaining("NUL") }]);
    expect(await rowsWithTicket(body.ticketId)).toBe(0);
  });

  it("answers 401 for a key revoked after its last use (the hot path caches key rows briefly)", async () => {
    const created = await createKey();
    expect((await post(valid(), { key: created.key })).status).toBe(201);
    await revokeApiKey(created.prefix);
    const body = valid();
    expect((await post(body, { key: created.key })).status).toBe(401);
    expect(await rowsWithTicket(body.ticketId)).toBe(0);
  });

  it("answers 400 for malformed JSON and 415 for a non-JSON content type", async () => {
    const { key } = await createKey();
    const malformed = await post("{not json", { key });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.code).toBe("invalid_json");
    const form = await post("message=hi", { key, headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(form.status).toBe(415);
  });

  it("answers 413 for a body over the limit, also without Content-Length", async () => {
    const { key } = await createKey();
    const body = { ...valid(), agentReply: "x".repeat(600_000) };
    const response = await post(body, { key });
    expect(response.status).toBe(413);
    expect(await rowsWithTicket(body.ticketId)).toBe(0);
    const tooLong = { ...valid(), agentReply: "y".repeat(32_001) };
    const limited = await post(tooLong, { key });
    expect(limited.status).toBe(400);
    expect((await limited.json()).error.issues[0].path).toBe("agentReply");
  });

  it("answers 401 without a key, with a wrong key, with a revoked key; 403 without the scope", async () => {
    const body = valid();
    expect((await post(body)).status).toBe(401);
    expect((await post(body, { key: "frk_000000000000_" + "a".repeat(32) })).status).toBe(401);
    const revoked = await createKey();
    await revokeApiKey(revoked.prefix);
    expect((await post(body, { key: revoked.key })).status).toBe(401);
    const { key: tampered } = await createKey();
    expect((await post(body, { key: tampered.slice(0, -1) + (tampered.endsWith("a") ? "b" : "a") })).status).toBe(401);
    const wrongScope = await createKey(["suggest"]);
    expect((await post(body, { key: wrongScope.key })).status).toBe(403);
    expect(await rowsWithTicket(body.ticketId)).toBe(0);
  });
});
