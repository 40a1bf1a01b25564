import { VectorIndex, normalizeVector } from "@/lib/meaning/embeddings/vector-index";
const D = 1536;
for (const N of [2000, 100000]) {
const pool = Array.from({ length: 500 }, () => normalizeVector(Float32Array.from({ length: D }, () => Math.random() - 0.5))!);
const index = new VectorIndex();
for (let i = 0; i < N; i++) index.add(i, String(i), pool[i % 500]!);
const ts: number[] = [];
for (let k = 0; k < 100; k++) { const t = performance.now(); index.nearest(pool[k]!, { k: 16 }); ts.push(performance.now() - t); }
ts.sort((a, b) => a - b); console.log(N, "nearest p50", ts[50]!.toFixed(1), "p99", ts[98]!.toFixed(1));
}
