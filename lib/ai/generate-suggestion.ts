import "server-only";
import { findSimilarCorrections } from "@/lib/ai/find-similar-corrections";
import { buildSuggestionMessages } from "@/lib/ai/build-suggestion-messages";
import { getActiveModelVersion, type EffectiveModel } from "@/lib/ai/get-active-model-version";
import type { ModelVersion } from "@/lib/ai/model-version";
import { completeChat, streamChat, type ChatMessage } from "@/lib/ai/openai-provider";
import { readAiConfig, servingConfigFor, type AiConfig, type OpenAIConfig } from "@/lib/ai/read-ai-config";
import { loadModelArtifact } from "@/lib/ai/load-model-artifact";
import { adaptReply, suggestReplyLocally } from "@/lib/ai/suggest-reply-locally";
import { predictClass } from "@/lib/retrain/local-classifier";
import { UserError } from "@/lib/errors";

export type SuggestionBasis =
  | { kind: "retrieved"; similarity: number; source: "training" | "replay" }
  | { kind: "generic" }
  | { kind: "learned"; confidence: number }
  | { kind: "model"; examples: number };

export type Suggestion = { text: string; version: ModelVersion; basis: SuggestionBasis; fallbackFrom?: ModelVersion };

export type SuggestionEvent =
  | { type: "start"; version: ModelVersion }
  | { type: "delta"; text: string }
  | { type: "done"; suggestion: Suggestion };

type Options = {
  message: string;
  topic?: string | null;
  /** A specific version instead of the active one (tests; the retrain's evaluation). */
  model?: EffectiveModel;
  config?: AiConfig;
  signal?: AbortSignal;
  /** Training examples the reply may not draw on (the retrain's held-out validation split). */
  excludeTrainingIds?: string[];
};

/** Least probability of its question for a retrained local version to answer from what it learned. */
const LEARNED_MIN_CONFIDENCE = 0.6;

type Plan =
  | { kind: "local"; suggestion: Suggestion }
  | { kind: "openai"; openai: OpenAIConfig; messages: ChatMessage[]; version: ModelVersion; examples: number; fallbackFrom?: ModelVersion };

/**
 * Both providers learn from the team's corrections at once: the local model answers with the
 * closest one, OpenAI gets the closest few as few-shot examples.
 */
async function plan({ message, topic, model, config = readAiConfig(), excludeTrainingIds }: Options): Promise<Plan> {
  const { version, fallbackFrom } = model ?? (await getActiveModelVersion(config));
  if (version.provider === "local") {
    const learned = await answerLearned(version, message);
    if (learned) return { kind: "local", suggestion: { ...learned, version, fallbackFrom } };
    const corrections = await findSimilarCorrections({ message, limit: 1, minSimilarity: config.localMinSimilarity, excludeTrainingIds });
    const local = suggestReplyLocally({ message, corrections });
    return { kind: "local", suggestion: { text: local.text, version, basis: local.basis, fallbackFrom } };
  }
  const openai = servingConfigFor(version.servedBy ?? "openai", config);
  if (!openai) {
    const where = version.servedBy && version.servedBy !== "openai" ? version.servedBy : "OpenAI";
    throw new UserError({ code: "provider_not_configured", status: 409, message: `${version.label} runs on ${where}, which is not configured here.` });
  }
  const examples = await findSimilarCorrections({ message, limit: config.fewShotExamples, minSimilarity: config.localMinSimilarity, excludeTrainingIds });
  const messages = buildSuggestionMessages({ message, topic, examples });
  return { kind: "openai", openai, messages, version, examples: examples.length, fallbackFrom };
}

/**
 * A retrained local version answers with what it learned when it is sure of the question
 * (LEARNED_MIN_CONFIDENCE); otherwise, or for the retrieval-only version, the same-day
 * retrieval answers.
 */
async function answerLearned(version: ModelVersion, message: string): Promise<Pick<Suggestion, "text" | "basis"> | null> {
  const classifier = await loadModelArtifact(version.id);
  if (!classifier) return null;
  const [top] = predictClass(classifier, message);
  const answer = top && classifier.params.classes[top.label]?.answer;
  if (!top || !answer || top.probability < LEARNED_MIN_CONFIDENCE) return null;
  return { text: adaptReply({ reply: answer, pastMessage: "", message }), basis: { kind: "learned", confidence: Math.round(top.probability * 1000) / 1000 } };
}

function finish(text: string, p: Extract<Plan, { kind: "openai" }>): Suggestion {
  const trimmed = text.trim();
  if (!trimmed) {
    throw new UserError({ code: "ai_invalid_output", status: 502, message: `${p.version.label} returned an empty reply. Try again.` });
  }
  return { text: trimmed, version: p.version, basis: { kind: "model", examples: p.examples }, fallbackFrom: p.fallbackFrom };
}

/** A suggested reply from the active model, in one piece (the API, the benchmark). */
export async function generateSuggestion(options: Options): Promise<Suggestion> {
  const p = await plan(options);
  if (p.kind === "local") return p.suggestion;
  const text = await completeChat({ config: p.openai, model: p.version.name, messages: p.messages, signal: options.signal });
  return finish(text, p);
}

/**
 * The same as it is written: the version, text deltas, then the finished suggestion. OpenAI
 * streams; the local model answers in one delta. Provider errors surface at the first delta.
 */
export async function* streamSuggestion(options: Options): AsyncGenerator<SuggestionEvent> {
  const p = await plan(options);
  yield { type: "start", version: p.kind === "local" ? p.suggestion.version : p.version };
  if (p.kind === "local") {
    yield { type: "delta", text: p.suggestion.text };
    yield { type: "done", suggestion: p.suggestion };
    return;
  }
  let text = "";
  for await (const delta of streamChat({ config: p.openai, model: p.version.name, messages: p.messages, signal: options.signal })) {
    text += delta;
    yield { type: "delta", text: delta };
  }
  yield { type: "done", suggestion: finish(text, p) };
}
