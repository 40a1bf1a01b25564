import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSuggestion } from "@/lib/ai/generate-suggestion";
import { runFailureAnalysis } from "@/lib/ai/run-failure-analysis";
import { streamFreshSuggestion } from "@/lib/ai/stream-fresh-suggestion";
import { jsonError } from "@/lib/api/json-error";
import { getPool } from "@/lib/db/client";
import { storeFeedbackReplay } from "@/lib/feedback/storage";
import { nonce, openaiConfig, openaiModel } from "../support/ai";
import { createPendingReplay, findReplay } from "../support/factories";
import { startFakeOpenAI, type FakeOpenAI } from "../support/fake-openai";

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(async () => {
  await fake.close();
});

/** The next chat completions answer 200 with this body (the real SDK parses it). */
function answerWith(contentType: string, body: string) {
  fake.route("POST", "/v1/chat/completions", (_request, response: ServerResponse) => {
    response.writeHead(200, { "content-type": contentType });
    response.end(body);
  });
}

const malformed = { code: "ai_provider_malformed_response", status: 502, message: expect.stringMatching(/answered with .*not a chat completion/) };

describe("malformed answers from the model provider are a clear 502 (were 500 internal_error / 'an empty reply' / 'Unexpected error')", () => {
  it("suggestions: JSON that does not parse, text where JSON was due, JSON without choices", async () => {
    const model = await openaiModel();
    const config = openaiConfig(fake, { maxRetries: 0 });
    for (const [type, body] of [["application/json", '{"id":"x","choices":[{"mess'], ["text/plain", "<html>oops</html>"], ["application/json", "{}"]] as const) {
      answerWith(type, body);
      const failure = await generateSuggestion({ message: `${nonce()} where is my refund`, model, config }).catch((e: unknown) => e);
      expect(failure).toMatchObject(malformed);
      const response = jsonError(failure, "test");
      expect(response.status).toBe(502);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("ai_provider_malformed_response");
    }
  });

  it("the stream route: a body that is not SSE, and an SSE event that is not JSON", async () => {
    const model = await openaiModel();
    const config = openaiConfig(fake, { maxRetries: 0 });
    const replay = await createPendingReplay();
    answerWith("application/json", '{"choices": [');
    await expect(streamFreshSuggestion({ replayId: replay.id, model, config })).rejects.toMatchObject(malformed);
    answerWith("text/event-stream", 'data: {"choices":[{"delta":{"content":"Hel\n\n');
    await expect(streamFreshSuggestion({ replayId: replay.id, model, config })).rejects.toMatchObject(malformed);
    expect((await findReplay(replay.id))?.aiReply).toBe(replay.aiReply);
  });

  it("the stored analysis error says what happened, and the verdict was stored regardless", async () => {
    const stored = await storeFeedbackReplay({
      message: `${nonce()}: I never got my refund`,
      aiReply: "Refunds take time.",
      agentReply: "Refunded today.",
      feedback: "no",
    });
    answerWith("application/json", "{not json");
    expect(await runFailureAnalysis({ replayId: stored.id, config: openaiConfig(fake, { maxRetries: 0 }) })).toBe("failed");
    const { rows } = await getPool().query("SELECT status, last_error FROM failure_analyses WHERE replay_id = $1", [stored.id]);
    expect(rows[0].status).toBe("failed");
    expect(rows[0].last_error).toMatch(/answered with malformed JSON, not a chat completion/);
    expect((await findReplay(stored.id))?.feedback).toBe("no");
  });
});
