/**
 * Message vectors of one process, for nearest neighbours by cosine: unit vectors stored as int8
 * (one byte a dimension and a scale per row: 154 MB for 100,000 messages of 1,536 dimensions,
 * against 614 MB as floats), compared with a float query. Up to FAST_PATH_ROWS rows every row is
 * scored. Above, a coarse pre-filter first: each vector also has a count sketch of SKETCH_SIZE
 * dimensions (every input dimension added, with a random sign, into one of SKETCH_SIZE buckets:
 * the sketches' dot product estimates the cosine), all sketches are scanned, and only the best
 * CANDIDATES rows are scored exactly (int8 against the exact float scan: the same nearest
 * question on the bench's data). `npm run bench:embeddings` measures both paths: at 100,000 ×
 * 1,536 on 2 shared cores, p50 ≈ 13 ms and p99 ≈ 35-50 ms for the fast path, ~750 ms for a full scan.
 */
export type Neighbour = { doc: number; cosine: number };

export const FAST_PATH_ROWS = 2_000;
const SKETCH_SIZE = 32;
const CANDIDATES = 512;

/** `vector` scaled to length 1, or null for a zero (or broken) vector. */
export function normalizeVector(vector: Float32Array): Float32Array | null {
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += vector[i]! * vector[i]!;
  if (!(norm > 0) || !Number.isFinite(norm)) return null;
  const inverse = 1 / Math.sqrt(norm);
  const unit = new Float32Array(vector.length);
  for (let i = 0; i < vector.length; i++) unit[i] = vector[i]! * inverse;
  return unit;
}

/** The `size` largest scores seen, with their rows (a min-heap on typed arrays). */
class TopScores {
  scores: Float32Array;
  rows: Int32Array;
  length = 0;
  constructor(readonly size: number) {
    this.scores = new Float32Array(size);
    this.rows = new Int32Array(size);
  }
  reset() {
    this.length = 0;
  }
  /** The score a row must beat to enter (−∞ while not full). */
  get floor(): number {
    return this.length < this.size ? -Infinity : this.scores[0]!;
  }
  push(row: number, score: number) {
    const { scores, rows } = this;
    let i: number;
    if (this.length < this.size) {
      i = this.length++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (scores[parent]! <= score) break;
        scores[i] = scores[parent]!;
        rows[i] = rows[parent]!;
        i = parent;
      }
    } else {
      if (score <= scores[0]!) return;
      i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= this.length) break;
        const child = left + 1 < this.length && scores[left + 1]! < scores[left]! ? left + 1 : left;
        if (scores[child]! >= score) break;
        scores[i] = scores[child]!;
        rows[i] = rows[child]!;
        i = child;
      }
    }
    scores[i] = score;
    rows[i] = row;
  }
}

export class VectorIndex {
  dimensions = 0;
  rows = 0;
  private codes = new Int8Array(0);
  private inverseScales = new Float32Array(0);
  private sketches = new Float32Array(0);
  private docs = new Int32Array(0);
  private rowOfHash = new Map<string, number>();
  private rowOfDoc = new Map<number, number>();
  /** Per input dimension: its sketch bucket and sign (fixed seed: the same in every process). */
  private bucket = new Int32Array(0);
  private sign = new Float32Array(0);
  // The query side in float64: V8 multiplies float64 by int8 more than twice as fast as float32 by int8.
  private querySketch = new Float64Array(SKETCH_SIZE);
  private candidates = new TopScores(CANDIDATES);

  /** Adds `doc`'s unit vector (its text's `hash` makes it findable by text). False: wrong size. */
  add(doc: number, hash: string, unit: Float32Array): boolean {
    if (this.dimensions === 0) this.setDimensions(unit.length);
    if (unit.length !== this.dimensions) return false;
    this.grow(this.rows + 1);
    const row = this.rows++;
    const d = this.dimensions;
    let max = 0;
    for (let i = 0; i < d; i++) max = Math.max(max, Math.abs(unit[i]!));
    const scale = max > 0 ? 127 / max : 1;
    const base = row * d;
    for (let i = 0; i < d; i++) this.codes[base + i] = Math.round(unit[i]! * scale);
    this.inverseScales[row] = 1 / scale;
    this.sketchInto(unit, this.sketches, row * SKETCH_SIZE);
    this.docs[row] = doc;
    this.rowOfDoc.set(doc, row);
    if (!this.rowOfHash.has(hash)) this.rowOfHash.set(hash, row);
    return true;
  }

  /** The stored vector of a text (as stored: int8 precision), if some doc has that text. */
  vectorOf(hash: string): Float32Array | undefined {
    const row = this.rowOfHash.get(hash);
    if (row === undefined) return undefined;
    const d = this.dimensions;
    const vector = new Float32Array(d);
    const inverse = this.inverseScales[row]!;
    for (let i = 0; i < d; i++) vector[i] = this.codes[row * d + i]! * inverse;
    return vector;
  }

  /** Cosine of `doc`'s vector and the unit vector `unit`; undefined when the doc has none. */
  cosineOf(doc: number, unit: Float32Array): number | undefined {
    const row = this.rowOfDoc.get(doc);
    return row === undefined || unit.length !== this.dimensions ? undefined : this.cosine(Float64Array.from(unit), row);
  }

  /** The `k` docs closest to the unit vector `unit`, best first; `skip` leaves docs out. */
  nearest(unit: Float32Array, { k, skip }: { k: number; skip?: (doc: number) => boolean }): Neighbour[] {
    if (unit.length !== this.dimensions || this.rows === 0) return [];
    const query = Float64Array.from(unit);
    const top = new TopScores(k);
    if (this.rows <= FAST_PATH_ROWS || this.dimensions <= SKETCH_SIZE) {
      for (let row = 0; row < this.rows; row++) {
        if (skip?.(this.docs[row]!)) continue;
        top.push(row, this.cosine(query, row));
      }
    } else {
      const sketch = this.querySketch;
      sketch.fill(0);
      this.sketchInto(query, sketch, 0);
      const { sketches, candidates } = this;
      candidates.reset();
      const rows = this.rows;
      let floor = -Infinity;
      for (let row = 0, base = 0; row < rows; row++, base += SKETCH_SIZE) {
        // Four sums: independent additions, which V8 pipelines better than one chain.
        let a = 0;
        let b = 0;
        let c = 0;
        let e = 0;
        for (let j = 0; j < SKETCH_SIZE; j += 4) {
          a += sketch[j]! * sketches[base + j]!;
          b += sketch[j + 1]! * sketches[base + j + 1]!;
          c += sketch[j + 2]! * sketches[base + j + 2]!;
          e += sketch[j + 3]! * sketches[base + j + 3]!;
        }
        const dot = a + b + c + e;
        if (dot > floor) {
          candidates.push(row, dot);
          floor = candidates.floor;
        }
      }
      for (let i = 0; i < candidates.length; i++) {
        const row = candidates.rows[i]!;
        if (skip?.(this.docs[row]!)) continue;
        top.push(row, this.cosine(query, row));
      }
    }
    const found: Neighbour[] = [];
    for (let i = 0; i < top.length; i++) found.push({ doc: this.docs[top.rows[i]!]!, cosine: top.scores[i]! });
    return found.sort((a, b) => b.cosine - a.cosine || a.doc - b.doc);
  }

  private cosine(query: Float64Array, row: number): number {
    const { codes } = this;
    const d = this.dimensions;
    const base = row * d;
    let a = 0;
    let b = 0;
    let i = 0;
    for (; i + 1 < d; i += 2) {
      a += query[i]! * codes[base + i]!;
      b += query[i + 1]! * codes[base + i + 1]!;
    }
    if (i < d) a += query[i]! * codes[base + i]!;
    return (a + b) * this.inverseScales[row]!;
  }

  private sketchInto(unit: ArrayLike<number>, target: Float32Array | Float64Array, offset: number) {
    const { bucket, sign } = this;
    for (let i = 0; i < unit.length; i++) target[offset + bucket[i]!]! += sign[i]! * unit[i]!;
  }

  private setDimensions(d: number) {
    this.dimensions = d;
    this.bucket = new Int32Array(d);
    this.sign = new Float32Array(d);
    // Every bucket gets d / SKETCH_SIZE dimensions, shuffled (mulberry32, fixed seed).
    let seed = 0x9e3779b9;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const order = Array.from({ length: d }, (_, i) => i);
    for (let i = d - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (let i = 0; i < d; i++) {
      this.bucket[order[i]!] = i % SKETCH_SIZE;
      this.sign[i] = random() < 0.5 ? -1 : 1;
    }
  }

  private grow(rows: number) {
    if (rows <= this.docs.length) return;
    const capacity = Math.max(1024, this.docs.length * 2);
    const grown = <T extends Int8Array | Int32Array | Float32Array>(old: T, make: (length: number) => T, width: number): T => {
      const next = make(capacity * width);
      next.set(old);
      return next;
    };
    this.codes = grown(this.codes, (n) => new Int8Array(n), this.dimensions);
    this.inverseScales = grown(this.inverseScales, (n) => new Float32Array(n), 1);
    this.sketches = grown(this.sketches, (n) => new Float32Array(n), SKETCH_SIZE);
    this.docs = grown(this.docs, (n) => new Int32Array(n), 1);
  }
}
