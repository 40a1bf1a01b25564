import { startFakeOpenAI, type FakeOpenAI } from "../../tests/support/fake-openai";
import { createCorpusEmbedder } from "./corpus-embedder";

/**
 * `bench:learning -- --embeddings fake`: the tests' fake OpenAI server in this process, serving
 * /v1/embeddings with the corpus embedder, and the settings that point the app at it
 * (EMBEDDINGS=on with AI_PROVIDER=local: suggestions stay the local model, matching uses the
 * embeddings). The caller sets them before anything reads the environment.
 */
export async function startFakeEmbeddings(): Promise<{ fake: FakeOpenAI; env: Record<string, string> }> {
  const fake = await startFakeOpenAI();
  fake.setEmbedder(createCorpusEmbedder());
  return {
    fake,
    env: { EMBEDDINGS: "on", OPENAI_BASE_URL: fake.baseURL, OPENAI_API_KEY: fake.apiKey, AI_PROVIDER: "local", FINE_TUNE_TARGET: "local" },
  };
}
