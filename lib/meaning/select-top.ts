/**
 * The `count` best of `items` by `keyOf` (higher first), ties to the earlier item: the same set a
 * stable sort would put first, without sorting everything (a query may touch most documents).
 */
export function selectTop(items: number[], count: number, keyOf: (item: number) => number): number[] {
  if (items.length <= count) return items.slice();
  // A min-heap of positions in `items`: its root is the worst kept (lowest key, latest position).
  const heap = new Int32Array(count);
  let size = 0;
  const worse = (a: number, b: number) => {
    const ka = keyOf(items[a]!);
    const kb = keyOf(items[b]!);
    return ka < kb || (ka === kb && a > b);
  };
  for (let p = 0; p < items.length; p++) {
    if (size < count) {
      let i = size++;
      heap[i] = p;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!worse(heap[i]!, heap[parent]!)) break;
        [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
        i = parent;
      }
    } else if (worse(heap[0]!, p)) {
      heap[0] = p;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < size && worse(heap[l]!, heap[m]!)) m = l;
        if (r < size && worse(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
  }
  return Array.from(heap.subarray(0, size)).sort((a, b) => a - b).map((p) => items[p]!);
}

/** The `limit` best scores so far: below the threshold, a candidate cannot make the results. */
export class TopScores {
  private scores: number[] = [];
  threshold = -Infinity;
  constructor(private readonly limit: number) {}
  add(score: number) {
    if (this.limit <= 0) return;
    let at = this.scores.length;
    while (at > 0 && this.scores[at - 1]! < score) at--;
    if (at >= this.limit) return;
    this.scores.splice(at, 0, score);
    if (this.scores.length > this.limit) this.scores.pop();
    if (this.scores.length === this.limit) this.threshold = this.scores[this.limit - 1]!;
  }
}
