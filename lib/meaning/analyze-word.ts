import { createRequire } from "node:module";
import { STOPWORDS } from "@/lib/meaning/tokenize-text";
import { lookupLemma, readGloss, readPointers, type Pos } from "@/lib/meaning/wordnet";

const require = createRequire(import.meta.url);
const lemmatizer = require("wink-lemmatizer") as { noun(w: string): string; verb(w: string): string; adjective(w: string): string };
const stem = require("wink-porter2-stemmer") as (w: string) => string;

/**
 * What one word contributes: its stem, and the WordNet concepts it may stand for, weighted.
 * `stemId` and `conceptIds` (with `conceptWeights`, in the map's order) are the same keys as
 * numbers, interned per process, so the index can use arrays instead of string maps.
 */
export type WordMeaning = {
  stem: string;
  lemma: string;
  known: boolean;
  concepts: Map<string, number>;
  stemId: number;
  conceptIds: Int32Array;
  conceptWeights: Float64Array;
};

/**
 * How much a concept counts against the word itself (1): the first senses of a word are what
 * customers usually mean; derivations carry the meaning across parts of speech ("deliver" /
 * "delivery"); the direct hypernym of the main sense reaches siblings ("reimburse" / "refund" both
 * "pay") and counts least. Tuned on general principles, not on one corpus.
 */
const SENSE_WEIGHTS = [0.6, 0.45, 0.35, 0.3];
const DERIVATION_WEIGHT = 0.35;
const HYPERNYM_WEIGHT = 0.2;
/**
 * The words of a main sense's definition, weakest: "refund" is "money returned to a payer", so a
 * customer who writes "money back" meets it. A word stands for itself under the same key at full
 * weight (a gloss word against a word ≈ 0.5; two glosses that share a word ≈ 0.2).
 */
const GLOSS_WEIGHT = [0.12, 0.08];
/** Definition words that say nothing about a topic. */
const GLOSS_STOPWORDS = new Set(
  (
    "act action activity person people someone something state quality condition process manner kind form part way " +
    "make makes made cause become use used using having being especially usually often typically certain particular " +
    "one ones thing things place time group amount give take put set esp etc relating pertaining characterized"
  ).split(" "),
);

const cache = new Map<string, WordMeaning>();
const stemIds = new Map<string, number>();
const conceptIds = new Map<string, number>();

function intern(ids: Map<string, number>, key: string): number {
  let id = ids.get(key);
  if (id === undefined) ids.set(key, (id = ids.size));
  return id;
}

function addConcept(concepts: Map<string, number>, key: string, weight: number) {
  if ((concepts.get(key) ?? 0) < weight) concepts.set(key, weight);
}

function lemmaOf(word: string): { lemma: string; entry: ReturnType<typeof lookupLemma> } {
  const direct = lookupLemma(word);
  if (direct) return { lemma: word, entry: direct };
  for (const candidate of [lemmatizer.noun(word), lemmatizer.verb(word), lemmatizer.adjective(word)]) {
    const entry = candidate !== word ? lookupLemma(candidate) : undefined;
    if (entry) return { lemma: candidate, entry };
  }
  return { lemma: word, entry: undefined };
}

/** A definition word's base form, without a WordNet lookup of its own (cheap: no recursion). */
function glossLemma(token: string): string {
  const noun = lemmatizer.noun(token);
  if (noun !== token) return noun;
  return lemmatizer.verb(token);
}

/** The meaning of one lower-case word, cached per process (the vocabulary of support is small). */
export function analyzeWord(word: string): WordMeaning {
  const cached = cache.get(word);
  if (cached) return cached;
  const { lemma, entry } = lemmaOf(word);
  const concepts = new Map<string, number>();
  if (entry) {
    const glossed = new Set<string>();
    for (const pos of ["n", "v", "a"] as Pos[]) {
      const senses = entry[pos];
      if (!senses) continue;
      senses.slice(0, SENSE_WEIGHTS.length).forEach((offset, rank) => {
        addConcept(concepts, `${pos}${offset}`, SENSE_WEIGHTS[rank]!);
        if (rank > 1) return;
        const scale = rank === 0 ? 1 : 0.75;
        for (const token of readGloss(pos, offset).toLowerCase().match(/[a-z]+/g) ?? []) {
          if (token.length < 3 || STOPWORDS.has(token) || GLOSS_STOPWORDS.has(token) || token === word) continue;
          const glossStem = stem(glossLemma(token));
          if (glossed.has(glossStem)) continue;
          glossed.add(glossStem);
          addConcept(concepts, `g${glossStem}`, GLOSS_WEIGHT[rank]!);
        }
        for (const pointer of readPointers(pos, offset)) {
          const key = `${pointer.pos}${pointer.offset}`;
          if (pointer.pos === "r") continue;
          if (pointer.symbol === "+" || pointer.symbol === "&" || pointer.symbol === "$" || pointer.symbol === "^") addConcept(concepts, key, DERIVATION_WEIGHT * scale);
          else if (pointer.symbol === "@" || pointer.symbol === "@i") {
            // Skip WordNet's top levels ("entity", "act"): a hypernym that has no hypernym itself.
            const above = readPointers(pointer.pos, pointer.offset).filter((p) => p.symbol === "@");
            if (above.length === 0) continue;
            addConcept(concepts, key, HYPERNYM_WEIGHT * scale);
            for (const derived of readPointers(pointer.pos, pointer.offset)) {
              if (derived.symbol === "+" && derived.pos !== "r") addConcept(concepts, `${derived.pos}${derived.offset}`, HYPERNYM_WEIGHT * scale * 0.75);
            }
          }
        }
      });
    }
  }
  const ownStem = stem(lemma);
  concepts.set(`g${ownStem}`, 1);
  const ids = new Int32Array(concepts.size);
  const weights = new Float64Array(concepts.size);
  let i = 0;
  for (const [key, weight] of concepts) {
    ids[i] = intern(conceptIds, key);
    weights[i++] = weight;
  }
  const meaning: WordMeaning = { stem: ownStem, lemma, known: entry !== undefined, concepts, stemId: intern(stemIds, ownStem), conceptIds: ids, conceptWeights: weights };
  if (cache.size > 200_000) cache.clear();
  cache.set(word, meaning);
  return meaning;
}

/** The interned id of a stem (see WordMeaning.stemId), or -1 for a stem no word has had. */
export function stemIdOf(stem: string): number {
  return stemIds.get(stem) ?? -1;
}
