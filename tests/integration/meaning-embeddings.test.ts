import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { findSimilarCorrections } from "@/lib/ai/find-similar-corrections";
import { createEmbeddings, createOpenAIClient } from "@/lib/ai/openai-provider";
import { readEmbeddingsConfig } from "@/lib/meaning/embeddings/read-embeddings-config";
import { getPool } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/env";
import { storeFeedbackReplay } from "@/lib/feedback/storage";
import { embeddingsSettled } from "@/lib/meaning/embeddings/embed-messages";
import { resetEmbeddingOutage } from "@/lib/meaning/embeddings/fetch-embeddings";
import { hashText } from "@/lib/meaning/embeddings/message-vectors";
import { groupPendingReplays } from "@/lib/meaning/group-pending-replays";
import { forgetMeaningIndex } from "@/lib/meaning/load-meaning-index";
import { groupingSettled } from "@/lib/meaning/schedule-grouping";
import { findReplay } from "../support/factories";
import { seededDirection, startFakeOpenAI, type FakeOpenAI } from "../support/fake-openai";
import { useOwnDatabase } from "../support/own-database";
import { randomWords } from "../support/training-factories";

// Embeddings through the real openai SDK against the fake server, with the settings an operator
// would set (this file's process only: vitest runs each file in its own), on a database of its own
// (no other file's process groups its replays without embeddings). Replies stay local.
let fake: FakeOpenAI;
useOwnDatabase("embeddings");
const BATCH = 4;
/** Texts of this file → the direction of "their question"; any other text: its own direction. */
const questionOf = new Map<string, string>();

beforeAll(async () => {
  fake = await startFakeOpenAI();
  fake.setEmbedder((text, dimensions) => seededDirection(questionOf.get(text) ?? text, dimensions));
  Object.assign(process.env, {
    EMBEDDINGS: "on",
    OPENAI_BASE_URL: fake.baseURL,
    OPENAI_API_KEY: fake.apiKey,
    OPENAI_MAX_RETRIES: "0",
    EMBEDDINGS_BATCH_SIZE: String(BATCH),
    EMBEDDINGS_TIMEOUT_MS: "3000", // a loaded 2-core machine still answers well within it
  });
  resetEnvCache();
});

afterAll(async () => {
  await groupingSettled();
  await embeddingsSettled();
  await fake.close();
});

beforeEach(async () => {
  await embeddingsSettled();
  resetEmbeddingOutage();
});

/** A message of its own words (no word in common with any other), asking `question`. */
function asking(question: string): string {
  const text = `${randomWords(3)}?`;
  questionOf.set(text, question);
  return text;
}

const inputsOf = (texts: string[]) =>
  fake
    .embeddingRequests()
    .flatMap((body) => (typeof body.input === "string" ? [body.input] : body.input))
    .filter((input) => texts.includes(input));

async function cachedRows(texts: string[]) {
  const { rows } = await getPool().query<{ text_hash: string; size: number; dimensions: number }>(
    "SELECT text_hash, array_length(embedding::real[], 1) AS size, dimensions FROM message_embeddings WHERE model = 'text-embedding-3-small' AND text_hash = ANY($1)",
    [texts.map(hashText)],
  );
  return rows;
}

async function groupAll() {
  await groupPendingReplays({ waitMs: 30_000 });
  await embeddingsSettled();
}

describe("embeddings (POST /v1/embeddings through the openai SDK)", () => {
  it("groups and retrieves by meaning where no word is shared, embedding each distinct text once, in batches, cached", async () => {
    const question = randomWords(2);
    const first = asking(question);
    const second = asking(question);
    const other = asking(randomWords(2));
    // Short replies of their own: no reply link (nor a veto by a different specific answer), so only
    // the embeddings can join the two wordings.
    const replies = [first, first, second, other].map(() => `Done ${randomWords(2)}.`);
    const stored = [];
    for (const [i, message] of [first, first, second, other].entries()) {
      stored.push(await storeFeedbackReplay({ message, aiReply: "Please wait.", agentReply: replies[i]!, feedback: "no" }));
    }
    await groupAll();
    const groups = await Promise.all(stored.map(async (s) => (await findReplay(s.id))?.promptGroupId));
    expect(groups[0]).toBeTruthy();
    expect(groups[1]).toBe(groups[0]);
    expect(groups[2]).toBe(groups[0]); // no word in common: the embeddings joined them
    expect(groups[3]).not.toBe(groups[0]);

    // Once per distinct text, in requests of at most BATCH inputs, as base64 (what the SDK asks by default).
    expect(inputsOf([first, second, other]).sort()).toEqual([first, second, other].sort());
    for (const body of fake.embeddingRequests()) {
      expect(body.model).toBe("text-embedding-3-small");
      expect(body.encoding_format).toBe("base64");
      expect(body.dimensions).toBeUndefined();
      expect((body.input as string[]).length).toBeLessThanOrEqual(BATCH);
    }
    const rows = await cachedRows([first, second, other]);
    expect(rows.map((r) => [r.size, r.dimensions])).toEqual([
      [1536, 0],
      [1536, 0],
      [1536, 0],
    ]);

    const query = asking(question);
    const found = await findSimilarCorrections({ message: query, limit: 1, minSimilarity: 0.5 });
    expect(replies.slice(0, 3)).toContain(found[0]?.reply);
    expect(found[0]?.similarity).toBeGreaterThan(0.9);
    expect(found[0]?.shared).toEqual([]); // no word in common
    await findSimilarCorrections({ message: query, limit: 1, minSimilarity: 0.5 });
    await storeFeedbackReplay({ message: first, aiReply: "Please wait.", agentReply: null, feedback: "yes" });
    await groupAll();

    // As after a restart: the index is rebuilt and its vectors come from message_embeddings.
    forgetMeaningIndex();
    await groupAll();
    const again = await findSimilarCorrections({ message: query, limit: 1, minSimilarity: 0.5 });
    expect(replies.slice(0, 3)).toContain(again[0]?.reply);
    expect(inputsOf([first, second, other, query]).sort()).toEqual([first, second, other, query].sort()); // each embedded once
  });

  it("a provider failure or timeout falls back to offline matching, stores no vector, and the text is embedded later", async () => {
    for (const failure of [{ status: 500 }, { delayMs: 8_000 }]) {
      const words = randomWords(3);
      const known = await storeFeedbackReplay({ message: `my ${words} broke`, aiReply: "Please wait.", agentReply: `Sorry ${randomWords(2)}.`, feedback: "no" });
      await groupAll();
      const message = `the ${words} broke and ${randomWords(1)}`; // a new wording (a repeat adds no document)
      questionOf.set(message, randomWords(2));
      fake.queueEmbeddings(failure);
      const stored = await storeFeedbackReplay({ message, aiReply: "Please wait.", agentReply: `Replaced ${randomWords(2)}.`, feedback: "no" });
      await groupAll();
      // Not lost, grouped by its words alone; nothing stored for the text.
      expect((await findReplay(stored.id))?.promptGroupId).toBe((await findReplay(known.id))?.promptGroupId);
      expect(await cachedRows([message])).toEqual([]);
      expect(inputsOf([message]).length).toBeLessThanOrEqual(1);

      resetEmbeddingOutage(); // the pause after a failure is over
      await groupAll(); // nothing pending: the documents without a vector are filled in
      expect((await cachedRows([message])).map((r) => r.size)).toEqual([1536]);
    }
  });

  it("speaks both encodings to the real SDK, and reads floats from a server that ignores encoding_format", async () => {
    const config = readEmbeddingsConfig()!;
    const client = createOpenAIClient(config.openai);
    const input = [randomWords(2), randomWords(2)];
    const asBase64 = await client.embeddings.create({ model: config.model, input, dimensions: 8 }); // the SDK's default: base64, decoded by it
    const asFloats = await client.embeddings.create({ model: config.model, input, dimensions: 8, encoding_format: "float" });
    expect(fake.embeddingRequests().at(-2)?.encoding_format).toBe("base64");
    expect(asBase64.data.map((d) => d.embedding)).toEqual(asFloats.data.map((d) => d.embedding));
    expect(asFloats.data[1]!.embedding).toEqual(Array.from(seededDirection(input[1]!, 8)));

    const ignoring = await startFakeOpenAI(); // a compatible server that always answers floats
    ignoring.route("POST", "/v1/embeddings", (_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ object: "list", model: config.model, data: [{ object: "embedding", index: 0, embedding: [0.6, 0.8] }], usage: { prompt_tokens: 1, total_tokens: 1 } }));
    });
    try {
      const at = { ...config.openai, baseURL: ignoring.baseURL, apiKey: ignoring.apiKey };
      expect(await createEmbeddings({ config: at, model: config.model, input: ["x"] })).toEqual([Float32Array.from([0.6, 0.8])]);
      await expect(createEmbeddings({ config: at, model: config.model, input: ["x", "y"] })).rejects.toMatchObject({ code: "ai_provider_malformed_response" });
    } finally {
      await ignoring.close();
    }
  });
});
