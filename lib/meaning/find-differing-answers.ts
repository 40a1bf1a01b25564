import "server-only";
import { normalizePrompt } from "@/lib/feedback/normalize-prompt";
import type { AnalyzedText } from "@/lib/meaning/analyze-text";
import { loadMeaningIndex } from "@/lib/meaning/load-meaning-index";
import type { MeaningIndex } from "@/lib/meaning/meaning-index";

/** An agent's answer to a question (a training example's completion) and the prompt group it answers. */
export type GroupAnswer = { id: string; groupId: string; text: string };

/**
 * Distinct answers of one group kept as reference answers at most: each other answer is compared
 * with these, not with every other (a group of thousands of examples stays a few thousand compares).
 */
const MAX_REFERENCES = 32;
/** An answer this alike to a reference answer says the same thing: it joins it instead of adding one. */
const SAME_ANSWER = 0.6;

/**
 * How alike two answers are, 0–1: the smaller share each explains of the other, with the term
 * weights of the team's replies (lib/meaning/). Two answers with no content word in common score 0.
 */
export function answerSimilarity(index: MeaningIndex, a: AnalyzedText, b: AnalyzedText): number {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 1 : 0;
  const m = index.compare(a, b);
  return Math.min(m.queryCoverage, m.docCoverage);
}

type Distinct = { analyzed: AnalyzedText; ids: string[] };

/** The group's distinct answers (same text once ids, case and punctuation are set aside), and the reference answers among them. */
function referencesOf(index: MeaningIndex, answers: GroupAnswer[]) {
  const distinct = new Map<string, Distinct>();
  for (const answer of answers) {
    const key = normalizePrompt(answer.text);
    const seen = distinct.get(key);
    if (seen) seen.ids.push(answer.id);
    else distinct.set(key, { analyzed: index.analyze(answer.text), ids: [answer.id] });
  }
  const references: Distinct[] = [];
  for (const d of distinct.values()) {
    if (references.length >= MAX_REFERENCES) break;
    if (!references.some((r) => answerSimilarity(index, d.analyzed, r.analyzed) >= SAME_ANSWER)) references.push(d);
  }
  return { distinct, references };
}

/**
 * Which of `items` another answer of its group says very differently (less than `threshold`
 * alike, meaning-engine score): a conflict for review to settle. `answers` are the answers that
 * count (ready, not rejected), `items` those to flag (they may be among them). Each item is
 * compared with up to 32 reference answers of its group, one per way of answering.
 */
export async function findConflictingAnswers(items: GroupAnswer[], answers: GroupAnswer[], threshold: number): Promise<Set<string>> {
  const conflicting = new Set<string>();
  if (items.length === 0 || answers.length === 0) return conflicting;
  const index = (await loadMeaningIndex()).clusters.replies;
  const byGroup = new Map<string, GroupAnswer[]>();
  for (const answer of answers) {
    const list = byGroup.get(answer.groupId);
    if (list) list.push(answer);
    else byGroup.set(answer.groupId, [answer]);
  }
  const references = new Map<string, Distinct[]>();
  for (const [groupId, list] of byGroup) references.set(groupId, referencesOf(index, list).references);
  for (const item of items) {
    const refs = references.get(item.groupId);
    if (!refs) continue;
    const analyzed = index.analyze(item.text);
    // Another way of answering, not this item alone under another id.
    if (refs.some((r) => !(r.ids.length === 1 && r.ids[0] === item.id) && answerSimilarity(index, analyzed, r.analyzed) < threshold)) conflicting.add(item.id);
  }
  return conflicting;
}

/** `others`, each with how alike it is to `text` (0–1), the ones under `threshold` only, least alike first. */
export async function rankDifferingAnswers<T extends { completion: string }>(text: string, others: T[], threshold: number): Promise<(T & { similarity: number })[]> {
  const index = (await loadMeaningIndex()).clusters.replies;
  const analyzed = index.analyze(text);
  const scored = new Map<string, number>();
  const differing: (T & { similarity: number })[] = [];
  for (const other of others) {
    const key = normalizePrompt(other.completion);
    let similarity = scored.get(key);
    if (similarity === undefined) scored.set(key, (similarity = answerSimilarity(index, analyzed, index.analyze(other.completion))));
    if (similarity < threshold) differing.push({ ...other, similarity: Math.round(similarity * 1000) / 1000 });
  }
  return differing.sort((a, b) => a.similarity - b.similarity);
}
