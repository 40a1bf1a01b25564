import "server-only";
import type pg from "pg";
import { getPool } from "@/lib/db/client";
import { TrigramIndex, type NearKey } from "@/lib/ai/trigram-index";

/**
 * The index holds every key committed by a transaction below `xmax` that is not in `running`
 * (the last snapshot's in-progress transactions): the next look fetches exactly the keys of
 * transactions from `xmax` on, or in `running` — those may have committed since.
 */
type KeyIndex = { index: TrigramIndex; filenode: string; xmax: bigint; running: string[] };

// One index per pool, i.e. per database (the benchmark and the tests switch databases in a process).
const holder = globalThis as unknown as { __feedbackReplayKeyIndexes?: WeakMap<pg.Pool, Promise<KeyIndex>> };
const indexes = (holder.__feedbackReplayKeyIndexes ??= new WeakMap());

// The message's key and the keys added since the last look, in one statement, so under one
// snapshot. retrieval_keys.added_xact is the inserting transaction's id. A key written by a
// transaction that was still running at the last look (even one older than keys already seen) is
// picked up once it commits. The file node changes on TRUNCATE: then the index starts again.
const SYNC_SQL = `
SELECT retrieval_key($1) AS key, s.xmax, s.running,
       pg_relation_filenode('retrieval_keys')::text AS filenode,
       ARRAY(SELECT key FROM retrieval_keys WHERE added_xact >= $2::bigint OR added_xact = ANY($3::bigint[])) AS added
FROM (SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS xmax,
             ARRAY(SELECT pg_snapshot_xip(pg_current_snapshot())::text) AS running) s`;

type SyncRow = { key: string; xmax: string; running: string[]; filenode: string; added: string[] };

async function sync(pool: pg.Pool, message: string, since: Pick<KeyIndex, "xmax" | "running">): Promise<SyncRow> {
  const { rows } = await pool.query<SyncRow>(SYNC_SQL, [message, since.xmax.toString(), since.running]);
  return rows[0]!;
}

async function load(pool: pg.Pool): Promise<KeyIndex> {
  const r = await sync(pool, "", { xmax: 0n, running: [] });
  const index = new TrigramIndex();
  for (const key of r.added) index.add(key);
  index.compact();
  return { index, filenode: r.filenode, xmax: BigInt(r.xmax), running: r.running };
}

/** After adding a look's keys: keep the later snapshot (concurrent looks may finish out of order). */
function advance(state: KeyIndex, r: SyncRow) {
  const xmax = BigInt(r.xmax);
  if (xmax > state.xmax) {
    state.xmax = xmax;
    state.running = r.running;
  } else if (xmax === state.xmax) {
    // Same transactions started; either may have seen one finish. Fetching one again is harmless.
    state.running = [...new Set([...state.running, ...r.running])];
  }
}

function loaded(pool: pg.Pool): Promise<KeyIndex> {
  let loading = indexes.get(pool);
  if (!loading) {
    loading = load(pool);
    indexes.set(pool, loading);
    // A failed load is tried again by the next search.
    loading.catch(() => {
      if (indexes.get(pool) === loading) indexes.delete(pool);
    });
  }
  return loading;
}

/**
 * The retrieval key of `message` and the nearest keys by trigram similarity (pg_trgm's measure),
 * at least `minSimilarity`, most similar first. The search runs on this process's in-memory index
 * of retrieval_keys (loaded on first use), brought up to date by the same query that computes the
 * message's key, so a correction committed before the call is always seen.
 */
export async function findNearestKeys({ message, limit, minSimilarity }: { message: string; limit: number; minSimilarity: number }): Promise<{ key: string; nearest: NearKey[] }> {
  const pool = getPool();
  for (let attempt = 0; ; attempt++) {
    const loading = loaded(pool);
    const state = await loading;
    const r = await sync(pool, message, state);
    if (r.filenode !== state.filenode && attempt === 0) {
      if (indexes.get(pool) === loading) indexes.delete(pool);
      continue;
    }
    for (const key of r.added) state.index.add(key);
    advance(state, r);
    // The database recomputes the similarity of what it returns; the margin only absorbs float rounding.
    const nearest = r.key ? state.index.search(r.key, { limit, minSimilarity: minSimilarity - 1e-6 }) : [];
    return { key: r.key, nearest };
  }
}

/** Size of this process's key index for the current database (the benchmark prints it). */
export async function describeKeyIndex(): Promise<{ keys: number; trigrams: number; postingMegabytes: number }> {
  const { index } = await loaded(getPool());
  return { keys: index.size, trigrams: index.trigramCount, postingMegabytes: index.postingBytes / 2 ** 20 };
}
