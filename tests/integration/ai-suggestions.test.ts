import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findSimilarCorrections } from "@/lib/ai/find-similar-corrections";
import { generateSuggestion, streamSuggestion } from "@/lib/ai/generate-suggestion";
import { streamFreshSuggestion } from "@/lib/ai/stream-fresh-suggestion";
import { GENERIC_REPLY } from "@/lib/ai/suggest-reply-locally";
import { storeFeedbackReplay } from "@/lib/feedback/storage";
import { submitReplay } from "@/lib/feedback/submit-replay";
import { localConfig, localModel, nonce, openaiConfig, openaiModel } from "../support/ai";
import { createPendingReplay, createUser, findReplay } from "../support/factories";
import { startFakeOpenAI, type FakeOpenAI } from "../support/fake-openai";

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(async () => {
  await fake.close();
});

/** Three made-up words: they outweigh the ordinary words, so earlier runs' rows never match. */
const subject = () => `${nonce()} ${nonce()} ${nonce()}`;

/** An agent closes a pending replay with "not useful" and a better reply: the real submit path. */
async function correct(message: string, agentReply: string) {
  const agent = await createUser();
  const replay = await createPendingReplay({ message });
  await submitReplay({ input: { replayId: replay.id, submissionId: randomUUID(), agentReply, feedback: "no" }, agent });
}

describe("local provider: corrections are used at once", () => {
  it("answers the next similar message with the agent's correction, the newest one winning", async () => {
    const thing = subject();
    const model = await localModel();
    const config = localConfig();
    const ask = (message: string) => generateSuggestion({ message, model, config });

    const before = await ask(`Hi, my ${thing} blender for order #40001 arrived cracked, what now?`);
    expect(before).toMatchObject({ text: GENERIC_REPLY, basis: { kind: "generic" }, version: { label: "local-retrieval@v1", provider: "local" } });

    await correct(`My ${thing} blender from order 39999 arrived cracked.`, `So sorry! A new ${thing} blender for order 39999 ships today, no need to return the cracked one.`);
    const after = await ask(`Hi, my ${thing} blender for order #40001 arrived cracked, what now?`);
    expect(after.text).toBe(`So sorry! A new ${thing} blender for order 40001 ships today, no need to return the cracked one.`);
    expect(after.basis).toMatchObject({ kind: "retrieved", source: "training" });

    // A later correction of the same question replaces the earlier one the same minute.
    await correct(`${thing} blender arrived cracked, order 12121`, `Apologies! I've refunded the ${thing} blender in full; keep it.`);
    expect((await ask(`Hello, the ${thing} blender I got is cracked`)).text).toBe(`Apologies! I've refunded the ${thing} blender in full; keep it.`);

    // A "not useful" without a usable reply is never offered.
    await correct(`${thing} blender arrived cracked again`, "N/A");
    expect((await ask(`${thing} blender cracked`)).text).toBe(`Apologies! I've refunded the ${thing} blender in full; keep it.`);
  });

  it("also answers from replies marked useful, and stays generic for unrelated messages", async () => {
    const thing = subject();
    await storeFeedbackReplay({
      message: `Does the ${thing} kettle work with 110V?`,
      aiReply: `Yes, the ${thing} kettle runs on 100-240V.`,
      agentReply: `Yes, the ${thing} kettle runs on 100-240V.`,
      feedback: "yes",
    });
    const model = await localModel();
    const config = localConfig();
    expect((await generateSuggestion({ message: `will the ${thing} kettle work on 110 V in the US?`, model, config })).text).toBe(
      `Yes, the ${thing} kettle runs on 100-240V.`,
    );
    expect((await generateSuggestion({ message: `${nonce()} ${nonce()} ${nonce()}`, model, config })).text).toBe(GENERIC_REPLY);
  });

  it("a question asked before whose examples are not usable falls back to the nearest usable ones", async () => {
    const thing = subject();
    await correct(`${thing} charger stopped working`, "N/A"); // same key as the question, needs a completion
    await correct(`${thing} charger stopped working after a week`, `Sorry! A new ${thing} charger is on its way.`);
    const suggestion = await generateSuggestion({ message: `${thing} charger stopped working`, model: await localModel(), config: localConfig() });
    expect(suggestion.text).toBe(`Sorry! A new ${thing} charger is on its way.`);
  });

  it("finds nothing below the similarity threshold", async () => {
    const thing = subject();
    await correct(`${thing} refund missing for my order`, "Refunded.");
    // Other tests' "refund missing" questions may match too (they are the same question); ours is first.
    const found = await findSimilarCorrections({ message: `${thing} refund missing for my order`, limit: 3, minSimilarity: 0.5 });
    expect(found[0]).toMatchObject({ message: `${thing} refund missing for my order`, reply: "Refunded." });
    expect(await findSimilarCorrections({ message: `${nonce()} lamp flickers`, limit: 3, minSimilarity: 0.5 })).toEqual([]);
  });
});

describe("openai provider (fake server, real SDK)", () => {
  it("sends the team's corrections as few-shot examples, so the next suggestion changes", async () => {
    const thing = subject();
    const model = await openaiModel();
    const config = openaiConfig(fake);
    const message = `My ${thing} scooter battery is dead after a week, order 5511.`;

    fake.queueChat({ content: "First draft." });
    await generateSuggestion({ message, model, config });
    const first = fake.chatRequests().at(-1)!;
    expect(first.messages.map((m) => m.role)).toEqual(["system", "user"]);

    await correct(`${thing} scooter battery dead after one week`, `I'm sorry! A replacement ${thing} battery ships today under warranty.`);
    fake.queueChat({ content: `I'm sorry! A replacement ${thing} battery for order 5511 ships today.` });
    const suggestion = await generateSuggestion({ message, model, config });
    expect(suggestion).toMatchObject({ text: `I'm sorry! A replacement ${thing} battery for order 5511 ships today.`, basis: { kind: "model", examples: 1 } });
    expect(suggestion.version).toMatchObject({ provider: "openai", name: "gpt-fake", label: "gpt-fake@test" });

    const second = fake.chatRequests().at(-1)!;
    expect(second.model).toBe("gpt-fake");
    expect(second.messages).toEqual([
      { role: "system", content: expect.stringContaining("corrections") },
      { role: "user", content: `${thing} scooter battery dead after one week` },
      { role: "assistant", content: `I'm sorry! A replacement ${thing} battery ships today under warranty.` },
      { role: "user", content: message },
    ]);
  });

  it("streams the reply in pieces when asked to", async () => {
    const model = await openaiModel();
    const content = "We're sorry for the wait! Your refund was issued today and shows within 5 business days.";
    fake.queueChat({ content, chunkSize: 7 });
    const deltas: string[] = [];
    let done: unknown;
    for await (const event of streamSuggestion({ message: `${nonce()} refund?`, model, config: openaiConfig(fake) })) {
      if (event.type === "delta") deltas.push(event.text);
      if (event.type === "done") done = event.suggestion;
    }
    expect(fake.chatRequests().at(-1)!.stream).toBe(true);
    expect(deltas.length).toBeGreaterThan(5);
    expect(deltas.join("")).toBe(content);
    expect(done).toMatchObject({ text: content, version: { label: "gpt-fake@test" } });
  });
});

describe("openai provider errors surface clearly", () => {
  const ask = async (config: ReturnType<typeof openaiConfig>, name = "gpt-fake") =>
    generateSuggestion({ message: `${nonce()} where is my parcel?`, model: await openaiModel(name), config });

  it("401: the key", async () => {
    await expect(ask(openaiConfig(fake, { apiKey: "sk-wrong" }))).rejects.toMatchObject({
      code: "ai_provider_unauthorized",
      status: 502,
      message: expect.stringContaining("Check OPENAI_API_KEY"),
    });
  });

  it("404: the model", async () => {
    await expect(ask(openaiConfig(fake), "gpt-does-not-exist")).rejects.toMatchObject({
      code: "ai_provider_model_not_found",
      message: expect.stringMatching(/no model "gpt-does-not-exist".*OPENAI_BASE_URL/),
    });
  });

  it("429: retried with the server's Retry-After, then answered", async () => {
    const before = fake.chatRequests().length;
    fake.queueChat({ status: 429, headers: { "retry-after-ms": "20" }, error: { message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded" } }, { content: "After the wait." });
    await expect(ask(openaiConfig(fake))).resolves.toMatchObject({ text: "After the wait." });
    expect(fake.chatRequests().length - before).toBe(2);
  });

  it("429 that persists, or asks for a long wait, fails with the wait in the message", async () => {
    const limited = { status: 429, headers: { "retry-after-ms": "10" }, error: { message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded" } };
    fake.queueChat(limited, limited);
    await expect(ask(openaiConfig(fake, { maxRetries: 1 }))).rejects.toMatchObject({ code: "ai_provider_rate_limited", status: 503, message: expect.stringContaining("after 1 retry") });

    const before = fake.chatRequests().length;
    fake.queueChat({ status: 429, headers: { "retry-after": "120" } });
    await expect(ask(openaiConfig(fake))).rejects.toMatchObject({ code: "ai_provider_rate_limited", message: expect.stringContaining("wait 120 s") });
    expect(fake.chatRequests().length - before).toBe(1); // not held for two minutes
  });

  it("5xx: retried with backoff, then a clear error", async () => {
    const before = fake.chatRequests().length;
    const failing = { status: 500, headers: { "retry-after-ms": "5" } };
    fake.queueChat(failing, failing, failing);
    await expect(ask(openaiConfig(fake, { maxRetries: 2 }))).rejects.toMatchObject({ code: "ai_provider_failed", message: expect.stringContaining("status 500, still after 2 retries") });
    expect(fake.chatRequests().length - before).toBe(3);
  });

  it("timeouts and unreachable servers", async () => {
    fake.queueChat({ content: "too late", delayMs: 3_000 });
    await expect(ask(openaiConfig(fake, { timeoutMs: 200, maxRetries: 0 }))).rejects.toMatchObject({
      code: "ai_provider_timeout",
      status: 504,
      message: expect.stringContaining("within 200 ms (OPENAI_TIMEOUT_MS)"),
    });
    const closed = await startFakeOpenAI();
    const url = closed.baseURL;
    await closed.close();
    await expect(ask({ ...openaiConfig(fake, { baseURL: url, maxRetries: 0 }) })).rejects.toMatchObject({
      code: "ai_provider_unreachable",
      message: expect.stringContaining(new URL(url).host),
    });
  });
});

describe("a fresh suggestion for a pending replay (the replay view's `r`)", () => {
  async function readLines(stream: ReadableStream<Uint8Array>) {
    const text = await new Response(stream).text();
    return text.trim().split("\n").map((line) => JSON.parse(line));
  }

  it("streams NDJSON events as the model writes, then stores the reply with its version", async () => {
    const replay = await createPendingReplay({ message: `${nonce()}: the kettle lid broke` });
    const model = await openaiModel();
    const content = "I'm sorry the lid broke! A replacement lid ships today at no cost.";
    fake.queueChat({ content, chunkSize: 10 });
    const lines = await readLines(await streamFreshSuggestion({ replayId: replay.id, model, config: openaiConfig(fake) }));
    expect(lines[0]).toEqual({ type: "start", model: "gpt-fake@test", provider: "openai" });
    const deltas = lines.filter((l) => l.type === "delta");
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.map((d) => d.text).join("")).toBe(content);
    expect(lines.at(-1)).toEqual({ type: "done", aiReply: content, model: "gpt-fake@test", provider: "openai", saved: true });
    expect(await findReplay(replay.id)).toMatchObject({ aiReply: content, model: "gpt-fake@test", modelVersionId: model.version.id, status: "pending" });
  });

  it("answers at once with the local model", async () => {
    const replay = await createPendingReplay({ message: `${nonce()}: the kettle lid broke` });
    const lines = await readLines(await streamFreshSuggestion({ replayId: replay.id, model: await localModel(), config: localConfig() }));
    expect(lines.map((l) => l.type)).toEqual(["start", "delta", "done"]);
    expect(lines[0]).toMatchObject({ provider: "local", model: "local-retrieval@v1" });
  });

  it("refuses before streaming: a provider error, a closed replay, an unknown one", async () => {
    const replay = await createPendingReplay();
    const model = await openaiModel();
    await expect(streamFreshSuggestion({ replayId: replay.id, model, config: openaiConfig(fake, { apiKey: "sk-nope" }) })).rejects.toMatchObject({ code: "ai_provider_unauthorized" });
    expect((await findReplay(replay.id))?.aiReply).toBe(replay.aiReply);

    const closed = await createPendingReplay({ status: "submitted" });
    await expect(streamFreshSuggestion({ replayId: closed.id, model, config: openaiConfig(fake) })).rejects.toMatchObject({ code: "already_submitted", status: 409 });
    await expect(streamFreshSuggestion({ replayId: randomUUID(), model, config: openaiConfig(fake) })).rejects.toMatchObject({ code: "not_found", status: 404 });
  });
});
