/**
 * Token-set F1 between a generated reply and the agent's reply: lower-cased words (letters and
 * digits), each counted once. 1 = the same words, 0 = none in common. Cheap, deterministic and
 * blind to meaning, which is why a pairwise judgement by a model is added when one is configured.
 */
export function tokenSetF1(reply: string, reference: string): number {
  const tokens = (text: string) => new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
  const a = tokens(reply);
  const b = tokens(reference);
  if (a.size === 0 || b.size === 0) return a.size === b.size ? 1 : 0;
  let common = 0;
  for (const token of a) if (b.has(token)) common++;
  if (common === 0) return 0;
  const precision = common / a.size;
  const recall = common / b.size;
  return (2 * precision * recall) / (precision + recall);
}

export type Verdict = "candidate" | "baseline" | "tie";

/**
 * Two judgements of the same pair with the order swapped: a preference counts only when it
 * survives the swap (or the other order calls it a tie), which cancels a judge's position bias.
 */
export function combineVerdicts(candidateFirst: "A" | "B" | "tie", candidateSecond: "A" | "B" | "tie"): Verdict {
  const first: Verdict = candidateFirst === "A" ? "candidate" : candidateFirst === "B" ? "baseline" : "tie";
  const second: Verdict = candidateSecond === "B" ? "candidate" : candidateSecond === "A" ? "baseline" : "tie";
  if (first === second) return first;
  if (first === "tie") return second;
  if (second === "tie") return first;
  return "tie";
}
