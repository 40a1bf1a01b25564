import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as ingest } from "@/app/api/feedback-replay/route";
import { generateSuggestion } from "@/lib/ai/generate-suggestion";
import { registerModelVersion } from "@/lib/ai/register-model-version";
import { runFailureAnalysis } from "@/lib/ai/run-failure-analysis";
import { waitForBackgroundAnalyses } from "@/lib/ai/schedule-failure-analysis";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { closeDb, getPool, useDatabaseUrl } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/env";
import { readRetrainConfig, type RetrainConfig } from "@/lib/retrain/read-retrain-config";
import { runRetrain } from "@/lib/retrain/run-retrain";
import { nonce, openaiConfig } from "../support/ai";
import { startFakeOpenAI, type FakeOpenAI } from "../support/fake-openai";
import { storeQuestionReplays, uniqueQuestion } from "../support/training-factories";
import { startFaultDatabase, type FaultDatabase } from "./support/fault-database";

let db: FaultDatabase;
let fake: FakeOpenAI;
let key: string;

beforeAll(async () => {
  db = await startFaultDatabase("provider-faults");
  useDatabaseUrl(db.url);
  fake = await startFakeOpenAI();
  key = (await createApiKey({ name: "faults", scopes: ["feedback:write"] })).key;
  // The app's own configuration points at the faulty provider: the self-critique after a "no" uses it.
  vi.stubEnv("AI_PROVIDER", "openai");
  vi.stubEnv("OPENAI_BASE_URL", fake.baseURL);
  vi.stubEnv("OPENAI_API_KEY", fake.apiKey);
  vi.stubEnv("OPENAI_MODEL", "gpt-fake");
  vi.stubEnv("OPENAI_TIMEOUT_MS", "300");
  vi.stubEnv("OPENAI_MAX_RETRIES", "0");
  resetEnvCache();
});

afterAll(async () => {
  vi.unstubAllEnvs();
  resetEnvCache();
  await waitForBackgroundAnalyses();
  await closeDb();
  await fake?.close();
  await db?.close();
});

type Fault = { name: string; answer: (response: ServerResponse) => void; code: string; status: number };
const json = (status: number, body: unknown, headers: Record<string, string> = {}) => (response: ServerResponse) => {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(body));
};
const FAULTS: Fault[] = [
  { name: "429", answer: json(429, { error: { message: "Rate limit reached", type: "requests" } }, { "retry-after": "0" }), code: "ai_provider_rate_limited", status: 503 },
  { name: "500", answer: json(500, { error: { message: "The server had an error", type: "server_error" } }), code: "ai_provider_failed", status: 502 },
  { name: "timeout", answer: (response) => void setTimeout(() => json(200, {})(response), 1_500).unref(), code: "ai_provider_timeout", status: 504 },
  { name: "connection reset", answer: (response) => response.socket?.destroy(), code: "ai_provider_unreachable", status: 502 },
  {
    name: "malformed JSON",
    answer: (response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end('{"choices":[{"message":');
    },
    code: "ai_provider_malformed_response",
    status: 502,
  },
];

const chatFails = (fault: Fault) => fake.route("POST", "/v1/chat/completions", (_request, response) => fault.answer(response));

describe.each(FAULTS)("provider fault: $name", (fault) => {
  it("suggestions get a clear error; a 'no' is stored at once and its analysis fails with the reason, to be retried", async () => {
    chatFails(fault);
    const model = { version: await registerModelVersion({ provider: "openai", name: "gpt-fake", version: "faults" }) };
    const failure = await generateSuggestion({ message: `${nonce()} where is my refund`, model, config: openaiConfig(fake, { timeoutMs: 300, maxRetries: 0 }) }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: fault.code, status: fault.status });

    const started = Date.now();
    const response = await ingest(
      new Request("http://localhost/api/feedback-replay", {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ message: `${nonce()} never got my refund`, aiReply: "Wait.", agentReply: "Refunded today.", feedback: "no" }),
      }),
    );
    expect(response.status).toBe(201);
    expect(Date.now() - started).toBeLessThan(1_000); // the provider is not on the submit's path
    const { id } = (await response.json()) as { id: string };
    await waitForBackgroundAnalyses();
    expect(await runFailureAnalysis({ replayId: id })).toBe("failed");
    const [row] = (await getPool().query("SELECT status, last_error FROM failure_analyses WHERE replay_id = $1", [id])).rows;
    expect(row.status).toBe("failed");
    expect(row.last_error).not.toMatch(/Unexpected error/);
    expect(row.last_error).toMatch(/AI provider/);
  });
});

describe("schema-invalid output", () => {
  it("an analysis the model answers with the wrong shape is stored as failed with what was wrong", async () => {
    fake.route("POST", "/v1/chat/completions", (_request, response) =>
      json(200, { id: "c", object: "chat.completion", created: 0, model: "gpt-fake", choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: '{"category":"nope"}' } }] })(response),
    );
    const response = await ingest(
      new Request("http://localhost/api/feedback-replay", {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ message: `${nonce()} where is my parcel`, aiReply: "Wait.", agentReply: "It ships today.", feedback: "no" }),
      }),
    );
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    await waitForBackgroundAnalyses();
    await runFailureAnalysis({ replayId: id });
    const [row] = (await getPool().query("SELECT status, last_error FROM failure_analyses WHERE replay_id = $1", [id])).rows;
    expect(row).toMatchObject({ status: "failed", last_error: expect.stringMatching(/not a valid failure_analysis/) });
  });
});

describe("fine-tune calls (files + jobs) fail: the run says why, and the next trigger resumes it", () => {
  const since = new Date(Date.now() - 3_600_000);
  beforeAll(async () => {
    for (let q = 0; q < 4; q++) await storeQuestionReplays({ question: uniqueQuestion(), no: 6 });
  });
  const config = (): RetrainConfig => ({ ...readRetrainConfig(), mode: "upload", target: "openai", ai: openaiConfig(fake, { maxRetries: 0 }), filePollMs: 1 });

  it.each([
    [500, /failed with status 500/],
    [429, /rate-limiting requests \(429\)/],
  ])("an upload answered %i", async (status, message) => {
    const now = new Date(Date.UTC(3000 + status, 0, 5));
    fake.fineTuning.script.failUploads = { count: 1, status };
    const failed = await runRetrain({ trigger: "cron", now, since, threshold: 5, config: config() });
    expect(failed).toMatchObject({ status: "done", run: { status: "failed", error: expect.stringMatching(message) } });
    const resumed = await runRetrain({ trigger: "cron", now, since, threshold: 5, config: config() });
    expect(resumed).toMatchObject({ status: "done", run: { status: "training", attempts: 2, error: null } });
  });
});
