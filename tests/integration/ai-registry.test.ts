import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as postSuggestion } from "@/app/api/suggestions/route";
import { activateModelVersion } from "@/lib/ai/activate-model-version";
import { getActiveModelVersion } from "@/lib/ai/get-active-model-version";
import { registerModelVersion } from "@/lib/ai/register-model-version";
import { syncModelRegistry } from "@/lib/ai/sync-model-registry";
import { getPool } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/env";
import { listQueue } from "@/lib/feedback/list-queue";
import { localConfig, nonce, openaiConfig } from "../support/ai";
import { createKey, createUser, findReplay } from "../support/factories";
import { startFakeOpenAI, type FakeOpenAI } from "../support/fake-openai";

// The active version is global state: only this file changes it (its tests run one by one).
let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI({ models: ["gpt-fake", "gpt-fake-2"] });
});
afterAll(async () => {
  await fake.close();
  await getPool().query("UPDATE model_versions SET is_active = false WHERE is_active");
  await syncModelRegistry(localConfig());
});
afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});

async function active() {
  const { rows } = await getPool().query("SELECT provider, name, version, activated_by FROM model_versions WHERE is_active");
  expect(rows).toHaveLength(1);
  return rows[0];
}

async function startFresh() {
  await getPool().query("UPDATE model_versions SET is_active = false WHERE is_active");
}

describe("model registry", () => {
  it("activates the configured model and follows configuration changes, unless a manager chose", async () => {
    await startFresh();
    await syncModelRegistry(localConfig());
    expect(await active()).toMatchObject({ provider: "local", name: "local-retrieval", version: "v1", activated_by: "config" });

    await syncModelRegistry(openaiConfig(fake));
    expect(await active()).toMatchObject({ provider: "openai", name: "gpt-fake", version: "base", activated_by: "config" });
    await syncModelRegistry(openaiConfig(fake, { model: "gpt-fake-2" }));
    expect(await active()).toMatchObject({ name: "gpt-fake-2" });

    const manager = await createUser("manager");
    const local = await registerModelVersion({ provider: "local", name: "local-retrieval", version: "v1" });
    vi.stubEnv("AI_PROVIDER", "auto");
    vi.stubEnv("OPENAI_API_KEY", fake.apiKey);
    resetEnvCache();
    await activateModelVersion({ id: local.id, by: "manager", userId: manager.id, actor: { type: "user", id: manager.id, email: manager.email } });
    await syncModelRegistry(openaiConfig(fake));
    expect(await active()).toMatchObject({ provider: "local", activated_by: "manager" });
  });

  it("keeps exactly one active version when switches race", async () => {
    vi.stubEnv("AI_PROVIDER", "auto");
    vi.stubEnv("OPENAI_API_KEY", fake.apiKey);
    resetEnvCache();
    const versions = await Promise.all(
      ["a", "b", "c", "d"].map((v) => registerModelVersion({ provider: "openai", name: "gpt-fake", version: `race-${v}-${nonce()}` })),
    );
    await Promise.all(versions.flatMap((v) => [activateModelVersion({ id: v.id, by: "retrain", actor: { type: "cron" } }), activateModelVersion({ id: v.id, by: "manager", actor: { type: "cli" } })]));
    expect(versions.map((v) => v.version)).toContain((await active()).version);
  });

  it("refuses to activate an OpenAI version where OpenAI is not configured, and falls back to local for one already active", async () => {
    const remote = await registerModelVersion({ provider: "openai", name: "gpt-fake", version: `fallback-${nonce()}` });
    await expect(activateModelVersion({ id: remote.id, by: "manager", actor: { type: "cli" } })).rejects.toMatchObject({ code: "provider_not_configured", status: 409 });

    await startFresh();
    await getPool().query("UPDATE model_versions SET is_active = true, activated_by = 'retrain' WHERE id = $1", [remote.id]);
    const effective = await getActiveModelVersion(localConfig());
    expect(effective.version).toMatchObject({ provider: "local", label: "local-retrieval@v1" });
    expect(effective.fallbackFrom).toMatchObject({ id: remote.id, provider: "openai" });
  });

  it("writes a model.activate audit row with each switch, in the same transaction; a refused switch writes none", async () => {
    const manager = await createUser("manager");
    const before = await getPool().query("SELECT id FROM model_versions WHERE is_active");
    const version = await registerModelVersion({ provider: "local", name: "local-retrieval", version: `audit-${nonce()}` });
    await activateModelVersion({ id: version.id, by: "manager", userId: manager.id, actor: { type: "user", id: manager.id, email: manager.email } });
    const audit = (label: string) => getPool().query("SELECT actor_type, actor_id, actor_email, details FROM audit_log WHERE action = 'model.activate' AND target = $1", [label]);
    expect((await audit(version.label)).rows).toEqual([
      { actor_type: "user", actor_id: manager.id, actor_email: manager.email, details: { versionId: version.id, previousVersionId: before.rows[0]?.id ?? null, via: "manager" } },
    ]);
    const remote = await registerModelVersion({ provider: "openai", name: "gpt-fake", version: `audit-${nonce()}` });
    await expect(activateModelVersion({ id: remote.id, by: "manager", actor: { type: "cli" } })).rejects.toMatchObject({ code: "provider_not_configured" });
    expect((await audit(remote.label)).rows).toEqual([]);
  });
});

function suggest(body: unknown, key?: string) {
  return postSuggestion(
    new Request("http://localhost/api/suggestions", {
      method: "POST",
      headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify(body),
    }),
  );
}

describe("POST /api/suggestions", () => {
  it("answers 201 { replayId, aiReply, model } and puts the replay in the agents' queue", async () => {
    await startFresh();
    await syncModelRegistry(localConfig());
    const { key } = await createKey(["suggest"]);
    const ticketId = `T-${nonce()}`;
    const response = await suggest({ message: `${nonce()} my parcel never arrived`, ticketId, topic: "shipping" }, key);
    expect(response.status).toBe(201);
    const body = await response.json();
    expect(body).toEqual({ replayId: expect.any(String), aiReply: expect.any(String), model: "local-retrieval@v1", provider: "local" });
    const queue = await listQueue({ order: "oldest", ticket: ticketId, limit: 10 });
    expect(queue.items).toMatchObject([{ id: body.replayId, aiReply: body.aiReply, model: "local-retrieval@v1", modelProvider: "local", topic: "shipping" }]);
    const row = await findReplay(body.replayId);
    expect(row).toMatchObject({ status: "pending", source: "suggest", modelVersionId: expect.any(String) });
  });

  it("uses the OpenAI model when it is configured and active", async () => {
    vi.stubEnv("AI_PROVIDER", "auto");
    vi.stubEnv("OPENAI_API_KEY", fake.apiKey);
    vi.stubEnv("OPENAI_BASE_URL", fake.baseURL);
    vi.stubEnv("OPENAI_MODEL", "gpt-fake");
    resetEnvCache();
    await startFresh();
    const { key } = await createKey(["suggest"]);
    fake.queueChat({ content: "Sorry about that! I've opened a trace with the carrier." });
    const response = await suggest({ message: `${nonce()} my parcel never arrived` }, key);
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ aiReply: "Sorry about that! I've opened a trace with the carrier.", model: "gpt-fake@base", provider: "openai" });

    fake.queueChat({ status: 401, error: { message: "Incorrect API key provided", type: "invalid_request_error", code: "invalid_api_key" } });
    const refused = await suggest({ message: `${nonce()} hello` }, key);
    expect(refused.status).toBe(502);
    expect((await refused.json()).error).toMatchObject({ code: "ai_provider_unauthorized", message: expect.stringContaining("OPENAI_API_KEY") });
  });

  it("checks the key, its scope and the body", async () => {
    expect((await suggest({ message: "hi" })).status).toBe(401);
    expect((await suggest({ message: "hi" }, (await createKey(["feedback:write"])).key)).status).toBe(403);
    const { key } = await createKey(["suggest"]);
    const bad = await suggest({ message: "  ", extra: 1 }, key);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(["message", "(body)"]));
  });
});
