import { randomBytes } from "node:crypto";
import type { EffectiveModel } from "@/lib/ai/get-active-model-version";
import { LOCAL_MODEL } from "@/lib/ai/model-version";
import type { AiConfig } from "@/lib/ai/read-ai-config";
import { registerModelVersion } from "@/lib/ai/register-model-version";
import type { FakeOpenAI } from "./fake-openai";

/** A made-up word (letters only: retrieval keys drop digits), so a test's messages match only each other. */
export function nonce(): string {
  return [...randomBytes(10)].map((b) => String.fromCharCode(97 + (b % 26))).join("");
}

export const localConfig = (overrides: Partial<AiConfig> = {}): AiConfig => ({
  openai: null,
  localMinSimilarity: 0.5,
  fewShotExamples: 3,
  ...overrides,
});

export const openaiConfig = (fake: FakeOpenAI, overrides: Partial<NonNullable<AiConfig["openai"]>> = {}): AiConfig => ({
  ...localConfig(),
  openai: {
    apiKey: fake.apiKey,
    baseURL: fake.baseURL,
    model: "gpt-fake",
    analysisModel: "gpt-fake",
    timeoutMs: 5_000,
    maxRetries: 2,
    ...overrides,
  },
});

/** Explicit versions, so these tests never depend on (or change) which version is active. */
export async function localModel(): Promise<EffectiveModel> {
  return { version: await registerModelVersion(LOCAL_MODEL) };
}

export async function openaiModel(name = "gpt-fake"): Promise<EffectiveModel> {
  return { version: await registerModelVersion({ provider: "openai", name, version: "test" }) };
}
