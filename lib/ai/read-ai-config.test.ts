import { afterEach, describe, expect, it, vi } from "vitest";
import { readAiConfig } from "@/lib/ai/read-ai-config";
import { readEnv, resetEnvCache } from "@/lib/env";

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});

function configWith(env: Record<string, string>) {
  for (const name of ["AI_PROVIDER", "OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_MODEL", "OPENAI_ANALYSIS_MODEL"]) vi.stubEnv(name, env[name] ?? "");
  resetEnvCache();
  return readAiConfig(readEnv());
}

describe("readAiConfig", () => {
  it("is local with nothing configured, and OpenAI with a key (auto)", () => {
    expect(configWith({}).openai).toBeNull();
    expect(configWith({ OPENAI_API_KEY: "sk-1" }).openai).toMatchObject({ apiKey: "sk-1", baseURL: undefined, model: "gpt-4o-mini", analysisModel: "gpt-4o-mini", timeoutMs: 30_000, maxRetries: 2 });
  });

  it("uses a compatible server without a key, and a separate analysis model when set", () => {
    expect(configWith({ OPENAI_BASE_URL: "http://localhost:11434/v1", OPENAI_MODEL: "llama3.1", OPENAI_ANALYSIS_MODEL: "qwen2.5" }).openai).toMatchObject({
      apiKey: "no-key-needed",
      baseURL: "http://localhost:11434/v1",
      model: "llama3.1",
      analysisModel: "qwen2.5",
    });
  });

  it("AI_PROVIDER=local never calls a provider; openai without settings says what to set", () => {
    expect(configWith({ AI_PROVIDER: "local", OPENAI_API_KEY: "sk-1" }).openai).toBeNull();
    expect(() => configWith({ AI_PROVIDER: "openai" })).toThrow(/OPENAI_API_KEY/);
    expect(() => configWith({ AI_PROVIDER: "gpt" })).toThrow(/AI_PROVIDER/);
  });
});
