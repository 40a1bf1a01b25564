import { createHash } from "node:crypto";
import { readEnv, type Env } from "@/lib/env";
import { DEFAULT_ID_PATTERNS } from "@/lib/training/redact-pii";

export type TrainingSettings = {
  idPatterns: string[];
  systemPrompt: string | null;
  maxTokens: number;
  duplicateSimilarity: number;
  conflictSimilarity: number;
  validationShare: number;
  threshold: number;
  windowDays: number;
  /** Changes whenever a setting that shapes the cleaned texts changes: those are then redone. */
  fingerprint: string;
};

/** The training pipeline's settings (TRAINING_*, REDACT_ID_PATTERNS, …) from lib/env.ts. */
export function readTrainingSettings(env: Env = readEnv()): TrainingSettings {
  const idPatterns = env.REDACT_ID_PATTERNS ?? DEFAULT_ID_PATTERNS;
  const systemPrompt = env.TRAINING_SYSTEM_PROMPT?.trim() || null;
  // v3: examples also keep the redacted AI reply (preference pairs), so every example is prepared again once.
  const shaping = { v: 3, idPatterns, systemPrompt, duplicateSimilarity: env.DUPLICATE_SIMILARITY };
  return {
    idPatterns,
    systemPrompt,
    maxTokens: env.TRAINING_MAX_TOKENS,
    duplicateSimilarity: env.DUPLICATE_SIMILARITY,
    conflictSimilarity: env.CONFLICT_SIMILARITY,
    validationShare: env.VALIDATION_SHARE,
    threshold: env.WORST_PROMPT_THRESHOLD,
    windowDays: env.WORST_PROMPT_WINDOW_DAYS,
    fingerprint: createHash("md5").update(JSON.stringify(shaping)).digest("hex").slice(0, 16),
  };
}
