import { randomInt } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findSimilarCorrections } from "@/lib/ai/find-similar-corrections";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { getPool } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/env";
import { storeApiFeedbackBatch } from "@/lib/feedback/ingest/store-api-feedback-batch";
import { embeddingsSettled } from "@/lib/meaning/embeddings/embed-messages";
import { hashText } from "@/lib/meaning/embeddings/message-vectors";
import { groupPendingReplays } from "@/lib/meaning/group-pending-replays";
import { groupingSettled } from "@/lib/meaning/schedule-grouping";
import { createCorpusEmbedder } from "../../bench/learning/corpus-embedder";
import { QUESTIONS } from "../../bench/learning/corpus";
import { startFakeOpenAI, type FakeOpenAI } from "../support/fake-openai";
import { useOwnDatabase } from "../support/own-database";

// Issue 11: "A test with a fake that returns one direction per question proves it: at least 90%
// of the unseen wordings get their own question's correction as context." The fake gives every
// wording of a corpus question its question's direction plus noise, anything else a random one.
// Grouping is global, and the other test files' processes group whatever is pending without
// embeddings: this file gets a database of its own on the shared server, so that what it measures
// is grouping and retrieval as an app with embeddings does them.
let fake: FakeOpenAI;
useOwnDatabase("embeddings_recall");

beforeAll(async () => {
  fake = await startFakeOpenAI();
  fake.setEmbedder(createCorpusEmbedder());
  Object.assign(process.env, { EMBEDDINGS: "on", OPENAI_BASE_URL: fake.baseURL, OPENAI_API_KEY: fake.apiKey, EMBEDDINGS_DIMENSIONS: "256" });
  resetEnvCache();
});

afterAll(async () => {
  await groupingSettled();
  await embeddingsSettled();
  await fake.close();
});

describe("retrieval with embeddings", () => {
  it("gives at least 90% of the unseen wordings their own question's correction first", async () => {
    // The replies carry a reference (digits: the offline engine ignores it), so a correction is
    // known to be its own question's whatever agent worded it.
    const reference = new Map(QUESTIONS.map((q) => [q.key, `Ref ${randomInt(1e8, 1e9)}.`]));
    const { id: apiKeyId } = await createApiKey({ name: "embeddings recall", scopes: ["feedback:write"] });
    let agent = 0;
    const items = QUESTIONS.flatMap((question) =>
      question.wordings
        .filter((_, i) => i % 2 === 0)
        .map((message) => ({
          apiKeyId,
          idempotencyKey: null,
          input: { message, aiReply: "We're looking into it.", agentReply: `${question.replies[agent++ % 3]} ${reference.get(question.key)}`, feedback: "no" as const },
        })),
    );
    for (const outcome of await storeApiFeedbackBatch(items)) expect(outcome.ok).toBe(true);
    await groupPendingReplays({ waitMs: 30_000 });
    await embeddingsSettled();

    const unseen = QUESTIONS.flatMap((question) => question.wordings.filter((_, i) => i % 2 === 1).map((message) => ({ question, message })));
    const misses: string[] = [];
    for (const { question, message } of unseen) {
      const [first] = await findSimilarCorrections({ message, limit: 3, minSimilarity: 0.5 });
      if (!first?.reply.endsWith(reference.get(question.key)!)) misses.push(question.key);
    }
    // Every wording was embedded, once, at 256 dimensions.
    expect(new Set(fake.embeddingRequests().flatMap((b) => b.input)).size).toBe(fake.embeddingRequests().flatMap((b) => b.input).length);
    const wordings = QUESTIONS.flatMap((q) => q.wordings);
    const { rows } = await getPool().query<{ n: number }>(
      "SELECT count(*)::int AS n FROM message_embeddings WHERE model = 'text-embedding-3-small' AND dimensions = 256 AND array_length(embedding::real[], 1) = 256 AND text_hash = ANY($1)",
      [wordings.map(hashText)],
    );
    expect(rows[0]!.n).toBe(wordings.length);
    expect(misses.length, `missed: ${misses.join(", ")}`).toBeLessThanOrEqual(Math.floor(unseen.length * 0.1));
  });
});
