import { seededDirection, type Embedder } from "../../tests/support/fake-openai";
import { QUESTIONS } from "./corpus";

/**
 * Embeddings as good ones would be, for the fake provider: every wording of a corpus question
 * points along its question's own direction plus a little noise of its own (`noise` 0.3: cosine
 * ≈ 0.92 between two wordings of one question), and any other text (unrelated messages, the
 * background traffic, other tests' messages) along its own random direction, near-orthogonal to
 * all. Used by the recall test of issue 11 and `bench:learning -- --embeddings fake`.
 */
export function createCorpusEmbedder({ noise = 0.3 }: { noise?: number } = {}): Embedder {
  const questionOf = new Map<string, string>();
  for (const question of QUESTIONS) for (const wording of question.wordings) questionOf.set(wording, question.key);
  return (text, dimensions) => {
    const key = questionOf.get(text);
    if (key === undefined) return seededDirection(text, dimensions);
    const direction = seededDirection(`question:${key}`, dimensions);
    const own = seededDirection(text, dimensions);
    for (let i = 0; i < dimensions; i++) direction[i]! += noise * own[i]!;
    return direction;
  };
}
