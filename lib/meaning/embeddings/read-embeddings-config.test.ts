import { afterEach, describe, expect, it, vi } from "vitest";
import { readEnv, resetEnvCache } from "@/lib/env";
import { readEmbeddingsConfig } from "@/lib/meaning/embeddings/read-embeddings-config";

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});

function configWith(env: Record<string, string>) {
  for (const name of ["AI_PROVIDER", "OPENAI_API_KEY", "OPENAI_BASE_URL", "EMBEDDINGS", "EMBEDDINGS_MODEL", "EMBEDDINGS_DIMENSIONS", "EMBEDDINGS_TIMEOUT_MS"]) vi.stubEnv(name, env[name] ?? "");
  resetEnvCache();
  return readEmbeddingsConfig(readEnv());
}

describe("readEmbeddingsConfig", () => {
  it("follows the OpenAI provider by default, and is off without one or when turned off", () => {
    expect(configWith({})).toBeNull();
    expect(configWith({ OPENAI_API_KEY: "sk-1", AI_PROVIDER: "local" })).toBeNull();
    expect(configWith({ OPENAI_API_KEY: "sk-1", EMBEDDINGS: "off" })).toBeNull();
    expect(configWith({ OPENAI_API_KEY: "sk-1" })).toMatchObject({
      model: "text-embedding-3-small",
      dimensions: undefined,
      minSimilarity: 0.6,
      batchSize: 96,
      openai: { apiKey: "sk-1", baseURL: undefined, timeoutMs: 10_000 },
    });
  });

  it("on: a local server's embeddings with local replies; refuses it with no endpoint", () => {
    expect(configWith({ EMBEDDINGS: "on", AI_PROVIDER: "local", OPENAI_BASE_URL: "http://localhost:11434/v1", EMBEDDINGS_MODEL: "nomic-embed-text", EMBEDDINGS_DIMENSIONS: "256" })).toMatchObject({
      model: "nomic-embed-text",
      dimensions: 256,
      openai: { apiKey: "no-key-needed", baseURL: "http://localhost:11434/v1" },
    });
    expect(() => configWith({ EMBEDDINGS: "on" })).toThrow(/EMBEDDINGS=on needs OPENAI_API_KEY/);
    expect(() => configWith({ EMBEDDINGS: "sometimes" })).toThrow(/EMBEDDINGS must be auto, on or off/);
  });
});
