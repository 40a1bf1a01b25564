import { analyzeWord, type WordMeaning } from "@/lib/meaning/analyze-word";
import { STOPWORDS, tokenizeText } from "@/lib/meaning/tokenize-text";
import { isKnownLemma, listLemmas } from "@/lib/meaning/wordnet";

/** The words a message is about, each once, with its meaning; spelling mended where it can be. */
export type AnalyzedText = WordMeaning[];

/** Words the team's messages use, with how often: the spelling corrector's first dictionary. */
export type Vocabulary = { count(word: string): number };

const EMPTY: Vocabulary = { count: () => 0 };
const ALPHABET = "abcdefghijklmnopqrstuvwxyz";

let lemmaSet: Set<string> | null = null;
function wordnetWords(): Set<string> {
  return (lemmaSet ??= new Set(listLemmas()));
}

function* editsOf(word: string): Generator<string> {
  for (let i = 0; i <= word.length; i++) {
    const head = word.slice(0, i);
    const tail = word.slice(i);
    if (tail) yield head + tail.slice(1); // deletion
    if (tail.length > 1) yield head + tail[1] + tail[0] + tail.slice(2); // transposition
    for (const c of ALPHABET) {
      if (tail) yield head + c + tail.slice(1); // substitution
      yield head + c + tail; // insertion
    }
  }
}

const corrections = new Map<string, string>();

/**
 * A word the spelling mender leaves alone, whatever the vocabulary learns later: short, known to
 * WordNet, or used twice already (an index's counts only grow).
 */
function isSettledWord(word: string, vocabulary: Vocabulary): boolean {
  return word.length < 4 || vocabulary.count(word) >= 2 || isKnownLemma(word) || analyzeWord(word).known;
}

/**
 * A word nobody uses, one edit (Damerau) away from a word the team uses or WordNet knows, is that
 * word: "refnud", "delivry", "pasword". The team's own words win (most frequent first), so
 * domain words outside WordNet ("unsubscribe", "login") are corrected to as well.
 */
export function correctSpelling(word: string, vocabulary: Vocabulary = EMPTY): string {
  if (isSettledWord(word, vocabulary)) return word;
  const cached = corrections.get(word);
  if (cached !== undefined && vocabulary === EMPTY) return cached;
  let best = word;
  let bestCount = vocabulary.count(word);
  let inWordnet = false;
  for (const edit of editsOf(word)) {
    const count = vocabulary.count(edit);
    if (count > bestCount) {
      best = edit;
      bestCount = count;
    } else if (bestCount === 0 && !inWordnet && edit.length >= 3 && wordnetWords().has(edit)) {
      best = edit;
      inWordnet = true;
    }
  }
  if (vocabulary === EMPTY) {
    if (corrections.size > 100_000) corrections.clear();
    corrections.set(word, best);
  }
  return best;
}

/** Content words of `text`: no function words or small talk, spelling mended, one entry per stem. */
export function analyzeText(text: string, vocabulary: Vocabulary = EMPTY): AnalyzedText {
  return analyzeTokens(tokenizeText(text), vocabulary).words;
}

/**
 * analyzeText over tokens already made (tokenizeText). `settled`: no word was mended against the
 * vocabulary's counts, so the same tokens give the same words from now on (a cache may keep them).
 */
export function analyzeTokens(tokens: string[], vocabulary: Vocabulary = EMPTY): { words: AnalyzedText; settled: boolean } {
  const seen = new Set<string>();
  const words: AnalyzedText = [];
  let settled = true;
  for (const token of tokens) {
    if (STOPWORDS.has(token) || token.length < 2) continue;
    let word = token;
    if (!isSettledWord(token, vocabulary)) {
      word = correctSpelling(token, vocabulary);
      settled = false;
    }
    if (STOPWORDS.has(word)) continue;
    const meaning = analyzeWord(word);
    if (seen.has(meaning.stem)) continue;
    seen.add(meaning.stem);
    words.push(meaning);
  }
  return { words, settled };
}
