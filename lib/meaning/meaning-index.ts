import { analyzeTokens, type AnalyzedText, type Vocabulary } from "@/lib/meaning/analyze-text";
import { stemIdOf, type WordMeaning } from "@/lib/meaning/analyze-word";
import { selectTop, TopScores } from "@/lib/meaning/select-top";
import { tokenizeText } from "@/lib/meaning/tokenize-text";

/**
 * Customer messages compared by meaning, offline: each content word of the query is matched
 * by the same stem in a message, or, weaker, by a WordNet concept the two words share (a synonym,
 * a derived form, a sibling under the same hypernym). Words are weighted by how rare they are
 * among the indexed messages (IDF), so the question outweighs the words every message uses. The
 * score is the geometric mean of how much of the query and how much of the message is explained
 * (like a cosine, but a short question inside a long message still meets it).
 */
export type Match = {
  id: number;
  score: number;
  /** Share of the query's weight matched, and of the message's. */
  queryCoverage: number;
  docCoverage: number;
  /** The query's words that found a match in this message, with the word they matched. */
  /** The query's words that met the document's: the same word, or a concept of both (`strength` 0–1, exact = 1). */
  shared: { word: string; via: string; exact: boolean; strength: number }[];
};

export type LabelMatch = {
  label: number;
  score: number;
  /** Share of the query matched by the label's messages together (and its replies, weaker). */
  queryCoverage: number;
  /** Share of the label's closest message explained by the query. */
  docCoverage: number;
  /** The label's message closest to the query. */
  bestId: number;
  shared: Match["shared"];
};

/** How a label's messages are combined against a query (see searchLabels). */
export type Combine = "question" | "member";

/** Weight of the query's coverage against the message's in a match score (geometric mean). */
export const QUERY_SHARE = 0.7;

/** Strength of a shared concept, from the two words' weights for it (top senses on both sides ≈ 0.9). */
function conceptMatch(a: number, b: number): number {
  return Math.min(0.9, 1.5 * Math.sqrt(a * b));
}

class Postings {
  ids = new Int32Array(4);
  weights = new Float32Array(4);
  length = 0;
  push(id: number, weight: number) {
    if (this.length === this.ids.length) {
      const ids = new Int32Array(this.length * 2);
      ids.set(this.ids);
      this.ids = ids;
      const weights = new Float32Array(this.length * 2);
      weights.set(this.weights);
      this.weights = weights;
    }
    this.ids[this.length] = id;
    this.weights[this.length] = weight;
    this.length++;
  }
}

function grown<T extends Int32Array | Float32Array | Float64Array | Uint8Array>(array: T, size: number): T {
  if (size <= array.length) return array;
  const next = new (array.constructor as new (n: number) => T)(Math.max(size, array.length * 2));
  next.set(array);
  return next;
}

const NO_SHARED: Match["shared"] = [];
/** Relative margin on a score's upper bound (float32 postings and sums round by ~1e-7). */
const BOUND_SLACK = 1e-4;

/** Analyses kept per index (most recently used): repeats of a wording, a reply template. */
const ANALYSES_KEPT = 20_000;
/** Postings met by words already walked, kept while the index does not change (ids, in all). */
const WALKS_KEPT = 2_000_000;
const GENERATION_LIMIT = 2 ** 30;

export class MeaningIndex implements Vocabulary {
  private texts: AnalyzedText[] = [];
  private docAlive = new Uint8Array(1024);
  private docLabel = new Int32Array(1024);
  private docWeight = new Float64Array(1024);
  /** Postings by interned stem id and concept id (WordMeaning.stemId, conceptIds). */
  private stems: (Postings | undefined)[] = [];
  private concepts: (Postings | undefined)[] = [];
  /** Documents per stem id (alive ones): the IDF. */
  private df = new Int32Array(1024);
  private words = new Map<string, number>();
  /** Analyses by token string, only those no later vocabulary can change (analyzeTokens' `settled`). */
  private analyses = new Map<string, AnalyzedText>();
  private alive = 0;
  // Scratch space reused by every search: per document, the query word last seen and its best match.
  private stamp = new Int32Array(0);
  private best = new Float32Array(0);
  private accumulated = new Float32Array(0);
  private local = new Int32Array(0);
  private generation = 0;
  /** Bumped by every add and remove: the walks remembered are of this version only. */
  private version = 0;
  private walks = new Map<WordMeaning, { ids: Int32Array; best: Float32Array }>();
  private walksKept = 0;
  private walksOf: { version: number; labelled: boolean; skip: unknown } = { version: -1, labelled: false, skip: undefined };
  // The query being scored (prepareQuery): its stems and concepts marked by `queryMark`, each
  // concept with the query words that have it (a linked list through the entry arrays).
  private queryWords: AnalyzedText = [];
  private queryIdf = new Float64Array(16);
  private queryWeight = 0;
  private queryMark = 0;
  private stemMark = new Int32Array(1024);
  private conceptMark = new Int32Array(1024);
  private conceptHead = new Int32Array(1024);
  private conceptMax = new Float64Array(1024);
  private entryWord = new Int32Array(256);
  private entryWeight = new Float64Array(256);
  private entryNext = new Int32Array(256);
  // Per scored document: its stems (by `docMark`), and per query word its best match and where.
  private docStemMark = new Int32Array(1024);
  private docMark = 0;
  private wordBest = new Float64Array(16);
  private wordVia = new Int32Array(16);
  // Per label during searchLabels: the best match of the current query word, and the total.
  private labelMark = new Int32Array(0);
  private labelWordBest = new Float64Array(0);
  private labelTotal = new Float64Array(0);
  private labelSeen = new Uint8Array(0);
  private topLabel = -1;
  private labelGeneration = 0;

  get size(): number {
    return this.alive;
  }

  /** How often the indexed messages use a raw word (spelling correction). */
  count(word: string): number {
    return this.words.get(word) ?? 0;
  }

  idf(stem: string): number {
    return this.idfOf(stemIdOf(stem));
  }

  private idfOf(stemId: number): number {
    const df = stemId >= 0 && stemId < this.df.length ? this.df[stemId]! : 0;
    return Math.log((this.alive + 1) / (df + 0.5)) + 1;
  }

  /** Analyzes `text` with this index's vocabulary. */
  analyze(text: string): AnalyzedText {
    const tokens = tokenizeText(text);
    const key = tokens.join(" ");
    const cached = this.analyses.get(key);
    if (cached) {
      this.analyses.delete(key);
      this.analyses.set(key, cached);
      return cached;
    }
    const { words, settled } = analyzeTokens(tokens, this);
    if (settled) {
      if (this.analyses.size >= ANALYSES_KEPT) this.analyses.delete(this.analyses.keys().next().value!);
      this.analyses.set(key, words);
    }
    return words;
  }

  /** Adds a message; returns its id (dense, from 0). */
  add(text: string, { label = -1, weight = 1 }: { label?: number; weight?: number } = {}): number {
    for (const token of text.toLowerCase().match(/[a-z]+/g) ?? []) this.words.set(token, (this.words.get(token) ?? 0) + 1);
    return this.addAnalyzed(this.analyze(text), { label, weight });
  }

  /**
   * `label` groups messages that ask the same thing (searchLabels matches a query against them
   * together); `weight` below 1 marks supporting text, such as the agents' reply to the messages
   * of a label, that may explain a query's words but never counts as a message itself.
   */
  addAnalyzed(words: AnalyzedText, { label = -1, weight = 1 }: { label?: number; weight?: number } = {}): number {
    const id = this.texts.length;
    this.version++;
    this.texts.push(words);
    this.docAlive = grown(this.docAlive, id + 1);
    this.docLabel = grown(this.docLabel, id + 1);
    this.docWeight = grown(this.docWeight, id + 1);
    this.docAlive[id] = 1;
    this.docLabel[id] = label;
    this.docWeight[id] = weight;
    if (label > this.topLabel) this.topLabel = label;
    if (weight >= 1) this.alive++;
    for (const word of words) {
      const stemId = word.stemId;
      const postings = (this.stems[stemId] ??= new Postings());
      postings.push(id, 1);
      if (weight >= 1) {
        this.df = grown(this.df, stemId + 1);
        this.df[stemId]!++;
      }
      const ids = word.conceptIds;
      const weights = word.conceptWeights;
      for (let k = 0; k < ids.length; k++) (this.concepts[ids[k]!] ??= new Postings()).push(id, weights[k]!);
    }
    return id;
  }

  /** Forgets a message (its postings are skipped from now on). */
  remove(id: number): void {
    if (id < 0 || id >= this.texts.length || !this.docAlive[id]) return;
    this.docAlive[id] = 0;
    this.version++;
    if (this.docWeight[id]! < 1) return;
    this.alive--;
    for (const word of this.texts[id]!) this.df[word.stemId]!--;
  }

  labelOf(id: number): number {
    return id >= 0 && id < this.texts.length ? this.docLabel[id]! : -1;
  }

  wordsOf(id: number): AnalyzedText {
    return this.texts[id] ?? [];
  }

  private ensureScratch() {
    if (this.stamp.length >= this.texts.length) return;
    const size = Math.max(1024, this.texts.length * 2);
    this.stamp = new Int32Array(size);
    this.best = new Float32Array(size);
    this.accumulated = new Float32Array(size);
    this.local = new Int32Array(size);
    this.generation = 0;
  }

  private nextGeneration(): number {
    if (this.generation >= GENERATION_LIMIT) {
      this.stamp.fill(0);
      this.generation = 0;
    }
    return ++this.generation;
  }

  /**
   * Walks the postings of one query word (its stem, then its concepts) and leaves, for each
   * document it meets, the word's best match in `best`; returns how many documents it met (their
   * ids first in `local`, in the order met). `labelled`: only documents with a label, weighted by
   * the document's weight, `skip` honoured (searchLabels); else only full-weight documents (search).
   */
  private walk(word: AnalyzedText[number], labelled: boolean, skip: ((id: number) => boolean) | undefined): number {
    const { stamp, best, local, docAlive, docLabel, docWeight } = this;
    // A word's walk depends only on the word, the index and the filter: a message and its
    // sentences, and the next queries, share it until the index changes.
    const of = this.walksOf;
    if (of.version !== this.version || of.labelled !== labelled || of.skip !== skip) {
      this.walks.clear();
      this.walksKept = 0;
      this.walksOf = { version: this.version, labelled, skip };
    }
    const known = this.walks.get(word);
    if (known) {
      const { ids, best: matches } = known;
      for (let i = 0; i < ids.length; i++) {
        local[i] = ids[i]!;
        best[ids[i]!] = matches[i]!;
      }
      return ids.length;
    }
    const generation = this.nextGeneration();
    let count = 0;
    const ids = word.conceptIds;
    const weights = word.conceptWeights;
    for (let k = -1; k < ids.length; k++) {
      const postings = k < 0 ? this.stems[word.stemId] : this.concepts[ids[k]!];
      if (!postings) continue;
      const concept = k < 0 ? -1 : weights[k]!;
      const postingIds = postings.ids;
      const postingWeights = postings.weights;
      for (let i = 0; i < postings.length; i++) {
        const id = postingIds[i]!;
        if (!docAlive[id]) continue;
        let m: number;
        if (labelled) {
          if (docLabel[id]! < 0 || (skip && skip(id))) continue;
          m = (concept < 0 ? 1 : conceptMatch(concept, postingWeights[i]!)) * docWeight[id]!;
        } else {
          if (docWeight[id]! < 1) continue;
          m = concept < 0 ? 1 : conceptMatch(concept, postingWeights[i]!);
        }
        if (stamp[id] !== generation) {
          stamp[id] = generation;
          best[id] = m;
          local[count++] = id;
        } else if (m > best[id]!) best[id] = m;
      }
    }
    if (this.walksKept + count <= WALKS_KEPT) {
      const ids = local.slice(0, count);
      const matches = new Float32Array(count);
      for (let i = 0; i < count; i++) matches[i] = best[ids[i]!]!;
      this.walks.set(word, { ids, best: matches });
      this.walksKept += count;
    }
    return count;
  }

  /** The `limit` messages closest in meaning to `query`, best first, at least `minScore`. */
  search(query: string | AnalyzedText, { limit = 10, minScore = 0, candidates = 64 }: { limit?: number; minScore?: number; candidates?: number } = {}): Match[] {
    const words = typeof query === "string" ? this.analyze(query) : query;
    if (words.length === 0 || this.alive === 0) return [];
    this.ensureScratch();
    this.prepareQuery(words);
    const { best, accumulated, local } = this;
    const touched: number[] = [];
    for (let w = 0; w < words.length; w++) {
      const idf = this.queryIdf[w]!;
      const count = this.walk(words[w]!, false, undefined);
      for (let j = 0; j < count; j++) {
        const id = local[j]!;
        if (accumulated[id] === 0) touched.push(id);
        accumulated[id]! += idf * best[id]!;
      }
    }
    // Rough ranking by the query's coverage, then the exact score for the best candidates.
    const pool = selectTop(touched, Math.max(candidates, limit), (id) => accumulated[id]!);
    // The most promising first, so that the bound below skips more of the rest.
    pool.sort((a, b) => accumulated[b]! - accumulated[a]!);
    const kept = new TopScores(limit);
    const scored: { id: number; score: number; queryCoverage: number; docCoverage: number }[] = [];
    for (const id of pool) {
      const bound = Math.sqrt(this.coverageBound(accumulated[id]!));
      if (bound < minScore || bound < kept.threshold) continue; // cannot be among the `limit` best
      const s = this.scoreDoc(this.texts[id]!);
      if (s.score >= minScore) {
        scored.push({ id, ...s });
        kept.add(s.score);
      }
    }
    for (const id of touched) accumulated[id] = 0;
    scored.sort((a, b) => b.score - a.score || a.id - b.id);
    return scored.slice(0, limit).map((m) => ({ ...m, shared: this.sharedWith(this.texts[m.id]!) }));
  }

  /**
   * The labels (questions) closest to `query`. With `combine: "question"` each query word is
   * matched by the best of the label's messages (and, weaker, its replies), so a question taught
   * in several wordings explains a new one that mixes their words: right for finding a known
   * question's answer. With `combine: "member"` the label scores as its single closest message:
   * right for deciding whether a message joins a group, where "question" would let a large group
   * explain everything and swallow its neighbours. The score weighs how much of the query is
   * explained (QUERY_SHARE, geometric) against how much of the closest message the query
   * explains: a short question inside a long one still meets, a message that shares one common
   * word with a label does not.
   */
  searchLabels(
    query: string | AnalyzedText,
    {
      limit = 5,
      candidates = 32,
      skip,
      combine = "question",
    }: { limit?: number; candidates?: number; skip?: (id: number) => boolean; combine?: Combine } = {},
  ): LabelMatch[] {
    const words = typeof query === "string" ? this.analyze(query) : query;
    if (words.length === 0 || this.alive === 0) return [];
    this.ensureScratch();
    this.prepareQuery(words);
    const { best, accumulated, local, docLabel, docWeight } = this;
    this.labelScratch();
    const { labelMark, labelWordBest, labelTotal, labelSeen } = this;
    const touched: number[] = [];
    /** Labels in the order first met (a stable sort's tie order), and per word the ones it met. */
    const labelOrder: number[] = [];
    const wordLabels: number[] = [];
    for (let w = 0; w < words.length; w++) {
      const idf = this.queryIdf[w]!;
      const count = this.walk(words[w]!, true, skip);
      const mark = this.nextLabelMark();
      wordLabels.length = 0;
      for (let j = 0; j < count; j++) {
        const id = local[j]!;
        if (docWeight[id]! >= 1) {
          if (accumulated[id] === 0) touched.push(id);
          accumulated[id]! += idf * best[id]!;
        }
        const label = docLabel[id]!;
        const m = best[id]!;
        if (labelMark[label] !== mark) {
          if (!(0 < m)) continue;
          labelMark[label] = mark;
          labelWordBest[label] = m;
          wordLabels.push(label);
        } else if (labelWordBest[label]! < m) labelWordBest[label] = m;
      }
      for (const label of wordLabels) {
        if (!labelSeen[label]) {
          labelSeen[label] = 1;
          labelTotal[label] = 0;
          labelOrder.push(label);
        }
        labelTotal[label]! += idf * labelWordBest[label]!;
      }
    }
    const ranked = selectTop(labelOrder, Math.max(candidates, limit), (label) => labelTotal[label]!);
    ranked.sort((a, b) => labelTotal[b]! - labelTotal[a]!);
    // Per wanted label, its three documents with the most accumulated (ties: the first met).
    const slot = new Map<number, number>();
    ranked.forEach((label, i) => slot.set(label, i));
    const wanted = ranked.map(() => [] as number[]);
    for (const id of touched) {
      const i = slot.get(docLabel[id]!);
      if (i !== undefined) {
        const list = wanted[i]!;
        const value = accumulated[id]!;
        let at = list.length;
        while (at > 0 && accumulated[list[at - 1]!]! < value) at--;
        if (at < 3) {
          list.splice(at, 0, id);
          if (list.length > 3) list.pop();
        }
      }
    }
    const matches: (Omit<LabelMatch, "shared"> & { shared?: Match["shared"] })[] = [];
    const kept = new TopScores(limit);
    for (let i = 0; i < ranked.length; i++) {
      const label = ranked[i]!;
      const unionCoverage = Math.min(1, labelTotal[label]! / this.queryWeight);
      let found: Omit<LabelMatch, "shared"> | null = null;
      for (const id of wanted[i]!) {
        // A score is at most the query coverage's share (the doc's coverage is at most 1): a
        // message that cannot beat the label's best so far nor reach the `limit` best is skipped.
        const bound = (combine === "question" ? unionCoverage * (1 + BOUND_SLACK) : this.coverageBound(accumulated[id]!)) ** QUERY_SHARE;
        if (bound < kept.threshold || (found && bound <= found.score)) continue;
        const scored = this.scoreDoc(this.texts[id]!);
        const qc = combine === "question" ? unionCoverage : scored.queryCoverage;
        const score = qc ** QUERY_SHARE * scored.docCoverage ** (1 - QUERY_SHARE);
        if (!found || score > found.score) found = { label, score, queryCoverage: qc, docCoverage: scored.docCoverage, bestId: id };
      }
      if (found) {
        matches.push(found); // none: matched by replies only, not a question we know (or skipped: not among the best)
        kept.add(found.score);
      }
    }
    for (const id of touched) accumulated[id] = 0;
    for (const label of labelOrder) labelSeen[label] = 0;
    matches.sort((a, b) => b.score - a.score || a.label - b.label);
    return matches.slice(0, limit).map((m) => ({ ...m, shared: this.sharedWith(this.texts[m.bestId]!) }));
  }

  private nextLabelMark(): number {
    if (this.labelGeneration >= GENERATION_LIMIT) {
      this.labelMark.fill(0);
      this.labelGeneration = 0;
    }
    return ++this.labelGeneration;
  }

  /**
   * At least the query coverage scoreDoc finds for a document whose walk accumulated
   * `accumulated` (the same sums, from float32 postings: the slack covers their rounding).
   */
  private coverageBound(accumulated: number): number {
    return Math.min(1, (accumulated / this.queryWeight) * (1 + BOUND_SLACK) + BOUND_SLACK);
  }

  /** Sizes the per-label scratch to the labels in use. */
  private labelScratch() {
    if (this.labelMark.length <= this.topLabel) {
      const size = Math.max(1024, this.topLabel * 2 + 2);
      this.labelMark = new Int32Array(size);
      this.labelWordBest = new Float64Array(size);
      this.labelTotal = new Float64Array(size);
      this.labelSeen = new Uint8Array(size);
      this.labelGeneration = 0;
    }
  }

  /** Similarity of two analysed texts under this index's term weights (dedupe, pairs). */
  compare(a: AnalyzedText, b: AnalyzedText): Omit<Match, "id"> {
    this.prepareQuery(a);
    return { ...this.scoreDoc(b), shared: this.sharedWith(b) };
  }

  /** Marks the query's stems and concepts for scoreDoc/sharedWith, with its term weights. */
  private prepareQuery(words: AnalyzedText) {
    if (this.queryMark >= GENERATION_LIMIT) {
      this.stemMark.fill(0);
      this.conceptMark.fill(0);
      this.queryMark = 0;
    }
    const mark = ++this.queryMark;
    this.queryWords = words;
    this.queryIdf = grown(this.queryIdf, words.length);
    this.wordBest = grown(this.wordBest, words.length);
    this.wordVia = grown(this.wordVia, words.length);
    let weight = 0;
    let entries = 0;
    for (let w = 0; w < words.length; w++) {
      const word = words[w]!;
      const idf = this.idfOf(word.stemId);
      this.queryIdf[w] = idf;
      weight += idf;
      this.stemMark = grown(this.stemMark, word.stemId + 1);
      this.stemMark[word.stemId] = mark;
      const ids = word.conceptIds;
      const weights = word.conceptWeights;
      const last = ids.length > 0 ? ids.reduce((a, b) => Math.max(a, b), 0) : -1;
      if (last >= this.conceptMark.length) {
        this.conceptMark = grown(this.conceptMark, last + 1);
        this.conceptHead = grown(this.conceptHead, last + 1);
        this.conceptMax = grown(this.conceptMax, last + 1);
      }
      if (entries + ids.length > this.entryWord.length) {
        this.entryWord = grown(this.entryWord, entries + ids.length);
        this.entryWeight = grown(this.entryWeight, entries + ids.length);
        this.entryNext = grown(this.entryNext, entries + ids.length);
      }
      for (let k = 0; k < ids.length; k++) {
        const c = ids[k]!;
        const cw = weights[k]!;
        if (this.conceptMark[c] !== mark) {
          this.conceptMark[c] = mark;
          this.conceptHead[c] = -1;
          this.conceptMax[c] = 0;
        }
        if (this.conceptMax[c]! < cw) this.conceptMax[c] = cw;
        this.entryWord[entries] = w;
        this.entryWeight[entries] = cw;
        this.entryNext[entries] = this.conceptHead[c]!;
        this.conceptHead[c] = entries++;
      }
    }
    this.queryWeight = weight;
  }

  /**
   * How well the prepared query and `doc` explain each other: per query word its best match in
   * the doc (the same stem, else the strongest shared concept), per doc word its best in the
   * query; one pass over the doc's concepts. Leaves per query word its best and the doc word it
   * came from (the first one, in doc order) for sharedWith.
   */
  private scoreDoc(doc: AnalyzedText): { score: number; queryCoverage: number; docCoverage: number } {
    const query = this.queryWords;
    if (query.length === 0 || doc.length === 0) return { score: 0, queryCoverage: 0, docCoverage: 0 };
    if (this.docMark >= GENERATION_LIMIT) {
      this.docStemMark.fill(0);
      this.docMark = 0;
    }
    const docMark = ++this.docMark;
    const mark = this.queryMark;
    const { stemMark, conceptMark, conceptHead, conceptMax, entryWord, entryWeight, entryNext, wordBest, wordVia } = this;
    wordBest.fill(0, 0, query.length);
    let docWeight = 0;
    let matchedDoc = 0;
    for (let d = 0; d < doc.length; d++) {
      const word = doc[d]!;
      this.docStemMark = grown(this.docStemMark, word.stemId + 1);
      this.docStemMark[word.stemId] = docMark;
      const idf = this.idfOf(word.stemId);
      docWeight += idf;
      const exact = word.stemId < stemMark.length && stemMark[word.stemId] === mark;
      let m = 0;
      const ids = word.conceptIds;
      const weights = word.conceptWeights;
      for (let k = 0; k < ids.length; k++) {
        const c = ids[k]!;
        if (c >= conceptMark.length || conceptMark[c] !== mark) continue;
        const weight = weights[k]!;
        if (!exact) m = Math.max(m, conceptMatch(weight, conceptMax[c]!));
        for (let e = conceptHead[c]!; e >= 0; e = entryNext[e]!) {
          const q = entryWord[e]!;
          const s = conceptMatch(entryWeight[e]!, weight);
          if (s > wordBest[q]!) {
            wordBest[q] = s;
            wordVia[q] = d;
          }
        }
      }
      matchedDoc += exact ? idf : idf * m;
    }
    let matchedQuery = 0;
    for (let q = 0; q < query.length; q++) {
      const idf = this.queryIdf[q]!;
      if (this.docStemMark[query[q]!.stemId] === docMark) matchedQuery += idf;
      else if (wordBest[q]! > 0) matchedQuery += idf * wordBest[q]!;
    }
    const queryCoverage = matchedQuery / this.queryWeight;
    const docCoverage = matchedDoc / docWeight;
    return { score: Math.sqrt(queryCoverage * docCoverage), queryCoverage, docCoverage };
  }

  /** The query's words that met `doc`, with the doc word they met (scores `doc` again). */
  private sharedWith(doc: AnalyzedText): Match["shared"] {
    const query = this.queryWords;
    if (query.length === 0 || doc.length === 0) return NO_SHARED.slice();
    this.scoreDoc(doc);
    const shared: Match["shared"] = [];
    for (let q = 0; q < query.length; q++) {
      const word = query[q]!;
      if (this.docStemMark[word.stemId] === this.docMark) shared.push({ word: word.lemma, via: word.lemma, exact: true, strength: 1 });
      else if (this.wordBest[q]! > 0) shared.push({ word: word.lemma, via: doc[this.wordVia[q]!]!.lemma, exact: false, strength: Math.round(this.wordBest[q]! * 1000) / 1000 });
    }
    return shared;
  }
}
