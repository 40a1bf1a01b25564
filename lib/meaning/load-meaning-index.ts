import "server-only";
import type pg from "pg";
import { getPool } from "@/lib/db/client";
import { readEnv } from "@/lib/env";
import { attachMessageVectors } from "@/lib/meaning/embeddings/attach-message-vectors";
import { clusterSettings } from "@/lib/meaning/engine-fingerprint";
import { QuestionClusters } from "@/lib/meaning/question-clusters";

/**
 * This process's copy of meaning_documents for one database: the question clusters, with the prompt
 * group and replay behind every label and document. Documents are written only under the grouping
 * lock, so their ids grow in commit order: a sync fetches `id > lastId`. A regroup (new generation)
 * or a manager's split or merge (new revision) makes the next sync build the index again.
 */
export type MeaningIndexState = {
  clusters: QuestionClusters;
  generation: number;
  revision: number;
  lastId: number;
  labelOfGroup: Map<string, number>;
  groupOfLabel: string[];
  /** Message document id (in clusters.messages) → its replay. */
  replayOfDoc: Map<number, string>;
};

type DocumentRow = { id: string; prompt_group_id: string; replay_id: string | null; kind: "message" | "reply"; text: string };

const holder = globalThis as unknown as { __feedbackReplayMeaning?: WeakMap<pg.Pool, Promise<MeaningIndexState>> };
const states = (holder.__feedbackReplayMeaning ??= new WeakMap());

/** The label of a prompt group in `state`, made on first use. */
export function labelFor(state: MeaningIndexState, groupId: string): number {
  let label = state.labelOfGroup.get(groupId);
  if (label === undefined) {
    label = state.clusters.newLabel();
    state.labelOfGroup.set(groupId, label);
    state.groupOfLabel[label] = groupId;
  }
  return label;
}

/** Adds stored documents (in id order) to `state`. */
export function applyDocuments(state: MeaningIndexState, rows: DocumentRow[]) {
  for (const row of rows) {
    const label = labelFor(state, row.prompt_group_id);
    if (row.kind === "message") {
      const id = state.clusters.add(row.text, null, label);
      if (row.replay_id) state.replayOfDoc.set(id, row.replay_id);
    } else state.clusters.addReply(row.text, label);
    state.lastId = Math.max(state.lastId, Number(row.id));
  }
}

function emptyState(generation: number, revision: number): MeaningIndexState {
  const clusters = new QuestionClusters(clusterSettings(readEnv().GROUP_SIMILARITY));
  attachMessageVectors(clusters);
  return {
    clusters,
    generation,
    revision,
    lastId: 0,
    labelOfGroup: new Map(),
    groupOfLabel: [],
    replayOfDoc: new Map(),
  };
}

const SYNC_SQL = `
SELECT s.generation, s.revision,
  coalesce((SELECT json_agg(d ORDER BY d.id) FROM (
    SELECT id, prompt_group_id, replay_id, kind, text FROM meaning_documents
    WHERE generation = s.generation AND id > $1 ORDER BY id LIMIT $2
  ) d), '[]') AS rows
FROM meaning_state s WHERE s.id = 1`;

const PAGE = 20_000;

async function syncInto(executor: Pick<pg.Pool, "query">, state: MeaningIndexState | null): Promise<MeaningIndexState> {
  let current = state;
  for (;;) {
    const { rows } = await executor.query<{ generation: number; revision: number; rows: DocumentRow[] }>(SYNC_SQL, [current?.lastId ?? 0, PAGE]);
    const head = rows[0] ?? { generation: 1, revision: 0, rows: [] };
    if (!current || current.generation !== head.generation || current.revision !== head.revision) {
      const stale = (current?.lastId ?? 0) > 0;
      current = emptyState(head.generation, head.revision);
      if (stale) continue; // this page started at the old index's position: read from the start
    }
    applyDocuments(current, head.rows);
    if (head.rows.length < PAGE) return current;
  }
}

/**
 * The meaning index of the current database, brought up to date with every document committed
 * before the call. `executor` lets the grouping job sync inside its own transaction (under its lock).
 */
export async function loadMeaningIndex(executor?: Pick<pg.Pool, "query">): Promise<MeaningIndexState> {
  const pool = getPool();
  // Syncs run one after another (each from the state the previous one left), never two at once.
  const previous: Promise<MeaningIndexState | null> = states.get(pool) ?? Promise.resolve(null);
  const next = previous.catch(() => null).then((base) => syncInto(executor ?? pool, base));
  states.set(pool, next);
  next.catch(() => {
    if (states.get(pool) === next) states.delete(pool);
  });
  return next;
}

/** Drops this process's index (a grouping transaction that failed after extending it). */
export function forgetMeaningIndex() {
  states.delete(getPool());
}
