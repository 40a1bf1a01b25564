import "server-only";
import { readAiConfig, type AiConfig } from "@/lib/ai/read-ai-config";
import { readEnv, type Env } from "@/lib/env";

export type RetrainConfig = {
  mode: "review" | "upload";
  target: "openai" | "local" | "manual";
  baseModel: string;
  epochs: number | "auto";
  suffix: string;
  autoPromote: boolean;
  evalExamples: number;
  /** How often to check an uploaded file's processing (tests: 1 ms). */
  filePollMs: number;
  /** The AI settings: `ai.openai` is the provider for uploads, replies and the pairwise judgement (null without one). */
  ai: AiConfig;
};

export function readRetrainConfig(env: Env = readEnv()): RetrainConfig {
  const ai = readAiConfig(env);
  const openai = ai.openai;
  return {
    mode: env.RETRAIN_MODE,
    target: env.FINE_TUNE_TARGET ?? (openai ? "openai" : "local"),
    baseModel: env.FINE_TUNE_BASE_MODEL,
    epochs: env.FINE_TUNE_EPOCHS,
    suffix: env.FINE_TUNE_SUFFIX,
    autoPromote: env.AUTO_PROMOTE,
    evalExamples: env.RETRAIN_EVAL_EXAMPLES,
    filePollMs: 5_000,
    ai,
  };
}
