/**
 * `npm run bench:embeddings -- [--rows 100000] [--dimensions N] [--queries 500] [--noise 0.65]`
 *
 * The nearest-label query of the embeddings (lib/meaning/embeddings/vector-index.ts) at 100,000
 * message vectors of the configured size (EMBEDDINGS_DIMENSIONS, else 1,536 as
 * text-embedding-3-small), in memory, no database. Synthetic vectors shaped like real ones:
 * 5,000 questions of 20 wordings each, a wording = its question's direction plus noise (cosine
 * ≈ 0.7 between wordings of one question, ≈ 0 otherwise). Each query is a new wording; it prints
 * p50/p99 of the fast path (sketch pre-filter + exact rescoring) and of the exact scan of every
 * row, and how often each finds the query's own question first. Figures only: exits 0.
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { readEnv } from "@/lib/env";
import { FAST_PATH_ROWS, normalizeVector, VectorIndex } from "@/lib/meaning/embeddings/vector-index";

const { values } = parseArgs({ options: { rows: { type: "string", default: "100000" }, dimensions: { type: "string" }, queries: { type: "string", default: "500" }, noise: { type: "string", default: "0.65" } } });
const rows = Number(values.rows);
const dimensions = Number(values.dimensions ?? readEnv().EMBEDDINGS_DIMENSIONS ?? 1536);
const queries = Number(values.queries);
/** The exact scan takes ~1 s a query at 100,000 × 1,536 on these machines: fewer of them. */
const EXACT_QUERIES = 50;
const PER_QUESTION = 20;
/** Noise against the question's direction: 0.65 gives cosine 1 / (1 + 0.65²) ≈ 0.70 between wordings. */
const NOISE = Number(values.noise);

let seed = 42;
function gaussian(): number {
  // Box-Muller on a small LCG: reproducible, fast enough to seed 100k vectors.
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  const u = (seed + 1) / 4294967297;
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  const v = (seed + 1) / 4294967297;
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
function randomUnit(): Float32Array {
  const vector = new Float32Array(dimensions);
  for (let i = 0; i < dimensions; i++) vector[i] = gaussian();
  return normalizeVector(vector)!;
}
// Noise drawn from a pool (generating 100,000 fresh gaussian vectors would take the bench longer than the index).
const noises = Array.from({ length: 4096 }, randomUnit);
function wording(direction: Float32Array): Float32Array {
  const noise = noises[Math.floor(Math.abs(gaussian()) * 1e6) % noises.length]!;
  const vector = new Float32Array(dimensions);
  for (let i = 0; i < dimensions; i++) vector[i] = direction[i]! + NOISE * noise[i]!;
  return normalizeVector(vector)!;
}

const questions = Math.ceil(rows / PER_QUESTION);
const directions = Array.from({ length: questions }, randomUnit);
const index = new VectorIndex();
const labelOf = new Int32Array(rows);
const loadStart = performance.now();
for (let doc = 0; doc < rows; doc++) {
  labelOf[doc] = doc % questions;
  index.add(doc, String(doc), wording(directions[doc % questions]!));
}
const loadMs = performance.now() - loadStart;
const memory = process.memoryUsage();

const asked = Array.from({ length: queries }, (_, i) => ({ label: (i * 7919) % questions, vector: wording(directions[(i * 7919) % questions]!) }));
function measure(name: string, search: (query: Float32Array) => { doc: number; cosine: number }[], count = queries) {
  const times: number[] = [];
  let right = 0;
  for (const { label, vector } of asked.slice(0, count)) {
    const started = performance.now();
    const found = search(vector);
    times.push(performance.now() - started);
    if (found[0] && labelOf[found[0].doc] === label) right++;
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(2);
  console.log(`| ${name} | ${at(0.5)} ms | ${at(0.99)} ms | ${right}/${count} |`);
}

console.log(`▸ bench:embeddings on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "cpu"}), Node ${process.version}`);
console.log(`  ${rows.toLocaleString("en")} vectors × ${dimensions} dimensions (${questions} questions × ${PER_QUESTION}, cosine between wordings ≈ ${(1 / (1 + NOISE * NOISE)).toFixed(2)}), loaded in ${(loadMs / 1000).toFixed(1)} s; heap + buffers ${((memory.heapUsed + memory.arrayBuffers) / 1e6).toFixed(0)} MB`);
console.log(`\n| nearest label, k = 16 | p50 | p99 | own question first |`);
console.log(`|---|---|---|---|`);
measure(rows > FAST_PATH_ROWS ? "fast path (sketch pre-filter, 512 rescored)" : "exact (below the fast path's size)", (q) => index.nearest(q, { k: 16 }));
// The exact scan of every row, for comparison (rows were added in doc order: row = doc).
measure("exact scan of every row", (q) => exactScan(q), EXACT_QUERIES);

function exactScan(unit: Float32Array) {
  const query = Float64Array.from(unit);
  const found: { doc: number; cosine: number }[] = [];
  let best = -Infinity;
  let bestDoc = -1;
  for (let doc = 0; doc < rows; doc++) {
    const cosine = (index as unknown as { cosine(q: Float64Array, row: number): number }).cosine(query, doc);
    if (cosine > best) {
      best = cosine;
      bestDoc = doc;
    }
  }
  found.push({ doc: bestDoc, cosine: best });
  return found;
}
