/**
 * pg_trgm's trigrams of a text: each run of letters and digits, lower-cased and padded with two
 * spaces before and one after, cut into every three-character window; a set. The same rule as
 * PostgreSQL's `show_trgm()` for the retrieval keys (lower-case stemmed words), so
 * `trigramSimilarity` equals `similarity()`; the database still computes the similarity of the
 * keys it returns.
 */
export function extractTrigrams(text: string): string[] {
  const found = new Set<string>();
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const chars = Array.from(`  ${word} `);
    for (let i = 0; i + 3 <= chars.length; i++) found.add(chars[i]! + chars[i + 1]! + chars[i + 2]!);
  }
  return [...found];
}

export type NearKey = { key: string; similarity: number };

/**
 * An inverted index from trigram to the keys that contain it, for exact nearest-key search by
 * trigram similarity (shared / (|a| + |b| - shared), pg_trgm's measure). A search counts shared
 * trigrams along the query's posting lists — work proportional to those lists, a few milliseconds
 * for 80,000 keys, where a GiST KNN scan over the same keys visits every page. Keys are only
 * added: the table they come from never loses one except by TRUNCATE (see find-nearest-keys.ts).
 */
export class TrigramIndex {
  private readonly ids = new Map<string, number>();
  private readonly keys: string[] = [];
  private sizes = new Uint16Array(1024);
  private readonly trigramIds = new Map<string, number>();
  private postings: Int32Array[] = [];
  private postingLengths: number[] = [];
  // Scratch space for searches, grown with the keys.
  private counts = new Uint16Array(1024);
  private touched = new Int32Array(1024);

  get size(): number {
    return this.keys.length;
  }

  get trigramCount(): number {
    return this.trigramIds.size;
  }

  /** Bytes held by the posting lists and per-key arrays (strings not counted). */
  get postingBytes(): number {
    return this.postings.reduce((sum, p) => sum + p.byteLength, 0) + this.sizes.byteLength + this.counts.byteLength + this.touched.byteLength;
  }

  has(key: string): boolean {
    return this.ids.has(key);
  }

  add(key: string): void {
    if (this.ids.has(key)) return;
    const id = this.keys.length;
    const trigrams = extractTrigrams(key);
    if (trigrams.length === 0) return;
    this.ids.set(key, id);
    this.keys.push(key);
    if (id >= this.sizes.length) {
      this.sizes = grow(this.sizes, this.sizes.length * 2);
      this.counts = new Uint16Array(this.sizes.length);
      this.touched = new Int32Array(this.sizes.length);
    }
    this.sizes[id] = Math.min(trigrams.length, 0xffff);
    for (const trigram of trigrams) {
      let t = this.trigramIds.get(trigram);
      if (t === undefined) {
        t = this.postings.length;
        this.trigramIds.set(trigram, t);
        this.postings.push(new Int32Array(8));
        this.postingLengths.push(0);
      }
      const length = this.postingLengths[t]!;
      if (length === this.postings[t]!.length) this.postings[t] = grow(this.postings[t]!, length * 2);
      this.postings[t]![length] = id;
      this.postingLengths[t] = length + 1;
    }
  }

  /** Gives back the spare room of the posting lists (after a bulk load). */
  compact(): void {
    this.postings = this.postings.map((p, t) => p.slice(0, this.postingLengths[t]));
  }

  /** The `limit` keys most similar to `key` with similarity ≥ `minSimilarity`, most similar first. */
  search(key: string, { limit, minSimilarity }: { limit: number; minSimilarity: number }): NearKey[] {
    const query = extractTrigrams(key);
    if (query.length === 0 || limit <= 0) return [];
    const { counts, touched, sizes } = this;
    let touchedCount = 0;
    for (const trigram of query) {
      const t = this.trigramIds.get(trigram);
      if (t === undefined) continue;
      const ids = this.postings[t]!;
      const length = this.postingLengths[t]!;
      for (let i = 0; i < length; i++) {
        const id = ids[i]!;
        const count = counts[id]!;
        if (count === 0) touched[touchedCount++] = id;
        counts[id] = count + 1;
      }
    }
    // A small sorted list: limit is a handful of keys.
    const best: { id: number; similarity: number }[] = [];
    for (let i = 0; i < touchedCount; i++) {
      const id = touched[i]!;
      const shared = counts[id]!;
      counts[id] = 0;
      const similarity = shared / (query.length + sizes[id]! - shared);
      if (similarity < minSimilarity) continue;
      if (best.length === limit && similarity <= best[limit - 1]!.similarity) continue;
      let at = best.length;
      while (at > 0 && best[at - 1]!.similarity < similarity) at--;
      best.splice(at, 0, { id, similarity });
      if (best.length > limit) best.pop();
    }
    return best.map(({ id, similarity }) => ({ key: this.keys[id]!, similarity }));
  }
}

function grow<T extends Uint16Array | Int32Array>(array: T, length: number): T {
  const bigger = new (array.constructor as new (length: number) => T)(length);
  bigger.set(array);
  return bigger;
}
