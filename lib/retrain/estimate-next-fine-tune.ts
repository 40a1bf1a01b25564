import "server-only";
import { getPool } from "@/lib/db/client";
import { MIN_EXAMPLES_BY_TARGET, TARGET_LABELS, type RunMethod, type TargetName } from "@/lib/retrain/fine-tune-target";
import type { RetrainConfig } from "@/lib/retrain/read-retrain-config";
import { readGroupingStatus, type GroupingStatus } from "@/lib/meaning/read-grouping-status";
import { findWorstPrompts } from "@/lib/training/find-worst-prompts";

/** "auto" epochs are counted as OpenAI's usual choice for small sets. */
export const AUTO_EPOCHS = 3;

export type TargetEstimate = { target: TargetName; label: string; minExamples: number; needed: number; pricePerMillion: number | null; usd: number | null };

export type NextFineTune = {
  worstPrompts: number;
  /** Candidates before dedupe and the token limit: the real file can only be smaller. */
  examples: number;
  preferencePairs: number;
  /** Training tokens of one pass: the examples, plus the pairs when the method trains DPO. */
  tokens: number;
  epochs: number;
  /** tokens × epochs: what the providers bill. */
  billedTokens: number;
  method: RunMethod;
  /** What a target's minimum counts for this method: a DPO file's lines are preference pairs. */
  unit: "examples" | "preference pairs";
  targets: TargetEstimate[];
  /** The grouping the counts stand on, as stored (the estimate does not group). */
  grouping: GroupingStatus;
};

/**
 * Cost before upload: what next week's fine-tune would hold now (the worst prompts' examples and
 * preference pairs, with the token counts hygiene stored), times the epochs, priced per target
 * (FINE_TUNE_PRICES; a target without a price has none, never a made-up one).
 * Reads only, and calls no provider: it counts on the prompt grouping as stored (replays stored
 * since the last grouping count from the next one; the job groups before it builds a dataset), so
 * viewing /retrain or a dry run writes nothing.
 */
export async function estimateNextFineTune({ config, since, threshold }: { config: RetrainConfig; since: Date; threshold: number }): Promise<NextFineTune> {
  const [worst, grouping] = await Promise.all([findWorstPrompts({ since, threshold, groupFirst: false }), readGroupingStatus()]);
  const { rows } = await getPool().query(
    `SELECT count(*)::int AS examples, count(clean_rejected)::int AS pairs,
            coalesce(sum(token_count), 0)::bigint AS tokens,
            coalesce(sum(token_count) FILTER (WHERE clean_rejected IS NOT NULL), 0)::bigint AS pair_tokens
     FROM training_log WHERE review_status IN ('pending', 'approved') AND status = 'ready' AND prompt_group_id = ANY($1::uuid[])`,
    [worst.map((w) => w.groupId)],
  );
  const examples = rows[0].examples as number;
  const preferencePairs = rows[0].pairs as number;
  const method = config.method;
  // A pair is billed for its prompt and both replies: about its SFT tokens plus the rejected reply; counted as 1.5×.
  const sftTokens = Number(rows[0].tokens);
  const dpoTokens = Math.round(Number(rows[0].pair_tokens) * 1.5);
  const tokens = method === "sft" ? sftTokens : method === "dpo" ? dpoTokens : sftTokens + dpoTokens;
  const epochs = config.epochs === "auto" ? AUTO_EPOCHS : config.epochs;
  const billedTokens = tokens * epochs;
  const counted = method === "dpo" ? preferencePairs : examples;
  const targets = (Object.keys(TARGET_LABELS) as TargetName[]).map((target) => {
    const price = config.prices[target] ?? null;
    const minExamples = MIN_EXAMPLES_BY_TARGET[target];
    return { target, label: TARGET_LABELS[target], minExamples, needed: Math.max(0, minExamples - counted), pricePerMillion: price, usd: price === null ? null : (billedTokens / 1_000_000) * price };
  });
  return { worstPrompts: worst.length, examples, preferencePairs, tokens, epochs, billedTokens, method, unit: method === "dpo" ? "preference pairs" : "examples", targets, grouping };
}

export function formatUsd(usd: number | null): string {
  if (usd === null) return "price not configured";
  return usd < 0.01 && usd > 0 ? "< $0.01" : `$${usd.toFixed(2)}`;
}
