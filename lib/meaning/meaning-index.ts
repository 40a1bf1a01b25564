import { analyzeText, type AnalyzedText, type Vocabulary } from "@/lib/meaning/analyze-text";

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
  shared: { word: string; via: string; exact: boolean }[];
};

type Doc = { words: AnalyzedText; alive: boolean; label: number; weight: number };

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

export class MeaningIndex implements Vocabulary {
  private docs: Doc[] = [];
  private stems = new Map<string, Postings>();
  private concepts = new Map<string, Postings>();
  /** Documents per stem (alive ones): the IDF. */
  private df = new Map<string, number>();
  private words = new Map<string, number>();
  private alive = 0;
  // Scratch space reused by every search: per document, the query word last seen and its best match.
  private stamp = new Int32Array(0);
  private best = new Float32Array(0);
  private accumulated = new Float32Array(0);
  private generation = 0;

  get size(): number {
    return this.alive;
  }

  /** How often the indexed messages use a raw word (spelling correction). */
  count(word: string): number {
    return this.words.get(word) ?? 0;
  }

  idf(stem: string): number {
    const df = this.df.get(stem) ?? 0;
    return Math.log((this.alive + 1) / (df + 0.5)) + 1;
  }

  /** Analyzes `text` with this index's vocabulary. */
  analyze(text: string): AnalyzedText {
    return analyzeText(text, this);
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
    const id = this.docs.length;
    this.docs.push({ words, alive: true, label, weight });
    if (weight >= 1) this.alive++;
    for (const word of words) {
      let postings = this.stems.get(word.stem);
      if (!postings) this.stems.set(word.stem, (postings = new Postings()));
      postings.push(id, 1);
      if (weight >= 1) this.df.set(word.stem, (this.df.get(word.stem) ?? 0) + 1);
      for (const [concept, weight] of word.concepts) {
        let list = this.concepts.get(concept);
        if (!list) this.concepts.set(concept, (list = new Postings()));
        list.push(id, weight);
      }
    }
    return id;
  }

  /** Forgets a message (its postings are skipped from now on). */
  remove(id: number): void {
    const doc = this.docs[id];
    if (!doc?.alive) return;
    doc.alive = false;
    if (doc.weight < 1) return;
    this.alive--;
    for (const word of doc.words) this.df.set(word.stem, (this.df.get(word.stem) ?? 1) - 1);
  }

  labelOf(id: number): number {
    return this.docs[id]?.label ?? -1;
  }

  wordsOf(id: number): AnalyzedText {
    return this.docs[id]?.words ?? [];
  }

  private ensureScratch() {
    if (this.stamp.length >= this.docs.length) return;
    const size = Math.max(1024, this.docs.length * 2);
    this.stamp = new Int32Array(size);
    this.best = new Float32Array(size);
    this.accumulated = new Float32Array(size);
    this.generation = 0;
  }

  /** The `limit` messages closest in meaning to `query`, best first, at least `minScore`. */
  search(query: string | AnalyzedText, { limit = 10, minScore = 0, candidates = 64 }: { limit?: number; minScore?: number; candidates?: number } = {}): Match[] {
    const words = typeof query === "string" ? this.analyze(query) : query;
    if (words.length === 0 || this.alive === 0) return [];
    this.ensureScratch();
    const { stamp, best, accumulated, docs } = this;
    const touched: number[] = [];
    let queryWeight = 0;
    for (const word of words) {
      const idf = this.idf(word.stem);
      queryWeight += idf;
      const generation = ++this.generation;
      const local: number[] = [];
      const visit = (postings: Postings | undefined, weight: (w: number) => number) => {
        if (!postings) return;
        for (let i = 0; i < postings.length; i++) {
          const id = postings.ids[i]!;
          if (!docs[id]!.alive || docs[id]!.weight < 1) continue;
          const m = weight(postings.weights[i]!);
          if (stamp[id] !== generation) {
            stamp[id] = generation;
            best[id] = m;
            local.push(id);
          } else if (m > best[id]!) best[id] = m;
        }
      };
      visit(this.stems.get(word.stem), () => 1);
      for (const [concept, weight] of word.concepts) visit(this.concepts.get(concept), (w) => conceptMatch(weight, w));
      for (const id of local) {
        if (accumulated[id] === 0) touched.push(id);
        accumulated[id]! += idf * best[id]!;
      }
    }
    // Rough ranking by the query's coverage, then the exact score for the best candidates.
    touched.sort((a, b) => accumulated[b]! - accumulated[a]!);
    const pool = touched.slice(0, Math.max(candidates, limit));
    for (const id of touched) accumulated[id] = 0;
    const queryStems = new Map(words.map((w) => [w.stem, w]));
    const queryConcepts = new Map<string, { weight: number; word: string }>();
    for (const w of words) for (const [c, weight] of w.concepts) if ((queryConcepts.get(c)?.weight ?? 0) < weight) queryConcepts.set(c, { weight, word: w.lemma });
    const matches: Match[] = [];
    for (const id of pool) {
      const scored = this.score(words, queryWeight, queryStems, queryConcepts, this.docs[id]!.words);
      if (scored.score >= minScore) matches.push({ id, ...scored });
    }
    matches.sort((a, b) => b.score - a.score || a.id - b.id);
    return matches.slice(0, limit);
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
    const { stamp, best, accumulated, docs } = this;
    const touched: number[] = [];
    const labelTotals = new Map<number, number>();
    let queryWeight = 0;
    for (const word of words) {
      const idf = this.idf(word.stem);
      queryWeight += idf;
      const generation = ++this.generation;
      const local: number[] = [];
      const visit = (postings: Postings | undefined, concept: number) => {
        if (!postings) return;
        for (let i = 0; i < postings.length; i++) {
          const id = postings.ids[i]!;
          const doc = docs[id]!;
          if (!doc.alive || doc.label < 0 || (skip && skip(id))) continue;
          const m = (concept < 0 ? 1 : conceptMatch(concept, postings.weights[i]!)) * doc.weight;
          if (stamp[id] !== generation) {
            stamp[id] = generation;
            best[id] = m;
            local.push(id);
          } else if (m > best[id]!) best[id] = m;
        }
      };
      visit(this.stems.get(word.stem), -1);
      for (const [concept, weight] of word.concepts) visit(this.concepts.get(concept), weight);
      const labelBest = new Map<number, number>();
      for (const id of local) {
        const doc = docs[id]!;
        if (doc.weight >= 1) {
          if (accumulated[id] === 0) touched.push(id);
          accumulated[id]! += idf * best[id]!;
        }
        if ((labelBest.get(doc.label) ?? 0) < best[id]!) labelBest.set(doc.label, best[id]!);
      }
      for (const [label, m] of labelBest) labelTotals.set(label, (labelTotals.get(label) ?? 0) + idf * m);
    }
    const ranked = [...labelTotals].sort((a, b) => b[1] - a[1]).slice(0, Math.max(candidates, limit));
    const wanted = new Map(ranked.map(([label]) => [label, [] as number[]]));
    touched.sort((a, b) => accumulated[b]! - accumulated[a]!);
    for (const id of touched) {
      const list = wanted.get(docs[id]!.label);
      if (list && list.length < 3) list.push(id);
      accumulated[id] = 0;
    }
    const queryStems = new Map(words.map((w) => [w.stem, w]));
    const queryConcepts = new Map<string, { weight: number; word: string }>();
    for (const w of words) for (const [c, weight] of w.concepts) if ((queryConcepts.get(c)?.weight ?? 0) < weight) queryConcepts.set(c, { weight, word: w.lemma });
    const matches: LabelMatch[] = [];
    for (const [label, total] of ranked) {
      const unionCoverage = Math.min(1, total / queryWeight);
      let best: LabelMatch | null = null;
      for (const id of wanted.get(label) ?? []) {
        const scored = this.score(words, queryWeight, queryStems, queryConcepts, docs[id]!.words);
        const qc = combine === "question" ? unionCoverage : scored.queryCoverage;
        const score = qc ** QUERY_SHARE * scored.docCoverage ** (1 - QUERY_SHARE);
        if (!best || score > best.score) best = { label, score, queryCoverage: qc, docCoverage: scored.docCoverage, bestId: id, shared: scored.shared };
      }
      if (best) matches.push(best); // none: matched by replies only, not a question we know
    }
    matches.sort((a, b) => b.score - a.score || a.label - b.label);
    return matches.slice(0, limit);
  }

  /** Similarity of two analysed texts under this index's term weights (dedupe, pairs). */
  compare(a: AnalyzedText, b: AnalyzedText): Omit<Match, "id"> {
    const queryStems = new Map(a.map((w) => [w.stem, w]));
    const queryConcepts = new Map<string, { weight: number; word: string }>();
    for (const w of a) for (const [c, weight] of w.concepts) if ((queryConcepts.get(c)?.weight ?? 0) < weight) queryConcepts.set(c, { weight, word: w.lemma });
    const queryWeight = a.reduce((sum, w) => sum + this.idf(w.stem), 0);
    return this.score(a, queryWeight, queryStems, queryConcepts, b);
  }

  private score(
    query: AnalyzedText,
    queryWeight: number,
    queryStems: Map<string, AnalyzedText[number]>,
    queryConcepts: Map<string, { weight: number; word: string }>,
    doc: AnalyzedText,
  ): Omit<Match, "id"> {
    if (query.length === 0 || doc.length === 0) return { score: 0, queryCoverage: 0, docCoverage: 0, shared: [] };
    // Per query word, its best match in the doc; per doc word, its best match in the query.
    const docStems = new Map(doc.map((w) => [w.stem, w]));
    let matchedQuery = 0;
    const shared: Match["shared"] = [];
    for (const q of query) {
      const idf = this.idf(q.stem);
      if (docStems.has(q.stem)) {
        matchedQuery += idf;
        shared.push({ word: q.lemma, via: q.lemma, exact: true });
        continue;
      }
      let m = 0;
      let via = "";
      for (const d of doc) {
        for (const [c, weight] of q.concepts) {
          const other = d.concepts.get(c);
          if (other !== undefined) {
            const s = conceptMatch(weight, other);
            if (s > m) {
              m = s;
              via = d.lemma;
            }
          }
        }
      }
      if (m > 0) {
        matchedQuery += idf * m;
        shared.push({ word: q.lemma, via, exact: false });
      }
    }
    let docWeight = 0;
    let matchedDoc = 0;
    for (const d of doc) {
      const idf = this.idf(d.stem);
      docWeight += idf;
      if (queryStems.has(d.stem)) {
        matchedDoc += idf;
        continue;
      }
      let m = 0;
      for (const [c, weight] of d.concepts) {
        const other = queryConcepts.get(c);
        if (other) m = Math.max(m, conceptMatch(weight, other.weight));
      }
      matchedDoc += idf * m;
    }
    const queryCoverage = matchedQuery / queryWeight;
    const docCoverage = matchedDoc / docWeight;
    return { score: Math.sqrt(queryCoverage * docCoverage), queryCoverage, docCoverage, shared };
  }
}
