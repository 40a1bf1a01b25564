import { tokenSetF1 } from "@/lib/retrain/score-reply";
import type { DemoTopic } from "@/lib/demo/demo-topics";

/**
 * Token-set F1 (lib/retrain/score-reply.ts) from which a demo agent calls a suggestion useful.
 * Calibrated on the demo's own answers: two agents' wordings of the same answer score 0.42–0.79
 * (mean 0.62), another topic's answer at most 0.46, the local model's generic reply at most 0.39.
 */
export const USEFUL_F1 = 0.5;

/** A small deterministic PRNG, so that every demo database tells the same story. */
export function createRandom(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type AgentIntent = { answer: string; /** The agent leaves no usable reply with a "not useful" (kept, never exported). */ lazy: boolean };

/**
 * What demo agent `agentIndex` means to answer: the topic's good answer in their own words; one
 * agent sometimes answers quite differently (a conflict for the review to settle), and a few
 * "not useful" come without a better reply.
 */
export function agentIntent({ topic, agentIndex, order, next }: { topic: DemoTopic; agentIndex: number; order: string; next: () => number }): AgentIntent {
  const alternative = topic.alternativeReply && agentIndex === 1 && next() < 0.6;
  const answer = (alternative ? topic.alternativeReply! : topic.agentReplies[agentIndex % 3]!).replaceAll("{n}", order);
  return { answer, lazy: next() < 0.04 };
}

/**
 * The simulated agent's verdict, decided by comparing, never painted: the suggestion is useful
 * when it says what the agent meant to send (token-set F1 ≥ USEFUL_F1); then the agent sends
 * it as it is. Otherwise they send their own answer ("N/A" for a lazy one).
 */
export function decideFeedback({ suggestion, intent }: { suggestion: string; intent: AgentIntent }): { feedback: "yes" | "no"; agentReply: string; score: number } {
  const score = tokenSetF1(suggestion, intent.answer);
  if (score >= USEFUL_F1) return { feedback: "yes", agentReply: suggestion, score };
  return { feedback: "no", agentReply: intent.lazy ? "N/A" : intent.answer, score };
}
