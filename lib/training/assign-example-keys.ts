import "server-only";
import type pg from "pg";
import { hashPrompt } from "@/lib/feedback/normalize-prompt";
import type { AnalyzedText } from "@/lib/meaning/analyze-text";
import { MeaningIndex } from "@/lib/meaning/meaning-index";

/** Wordings at least this alike both ways (meaning engine) are one wording: same side of the split. */
export const SAME_WORDING = 0.85;
/** A group's earlier wordings compared with a new one at most (the newest). */
const EARLIER = 32;

// The group's wordings already keyed, newest first: a new example that says the same takes their key.
const EARLIER_SQL = `
SELECT g.id AS group_id, o.clean_prompt, o.clean_completion, o.split_key, o.dedupe_key FROM unnest($1::uuid[]) AS g(id) CROSS JOIN LATERAL (
  SELECT clean_prompt, clean_completion, split_key, dedupe_key FROM training_log
  WHERE prompt_group_id = g.id AND split_key IS NOT NULL AND prepared_with = $2 AND NOT (id = ANY($3::uuid[]))
  ORDER BY created_at DESC, id DESC LIMIT ${EARLIER}
) o`;

/**
 * Gives each example just prepared, by meaning (lib/meaning/), within its question (prompt group):
 * - the key that decides its side of the train/validation split: the md5 of its normalised
 *   prompt, or the key of an earlier wording that says the same thing (SAME_WORDING). So the
 *   validation split holds the question's other wordings, never a near-copy of a training line,
 *   and a question is on both sides (the candidate is scored on new wordings of what it learned);
 * - its duplicate key: an earlier example that is the same wording answered near-identically
 *   (both ways at least `duplicateSimilarity`) lends its key, so the export keeps one of them.
 * `examples` are in creation order, their exact duplicate keys already stored.
 */
export async function assignExampleKeys(
  client: pg.Pool | pg.PoolClient,
  examples: { id: string; cleanPrompt: string; cleanCompletion: string; dedupeKey: string; groupId: string | null }[],
  { fingerprint, duplicateSimilarity }: { fingerprint: string; duplicateSimilarity: number },
): Promise<void> {
  if (examples.length === 0) return;
  const groups = [...new Set(examples.map((e) => e.groupId).filter((g): g is string => g !== null))];
  const { rows } = groups.length
    ? await client.query<{ group_id: string; clean_prompt: string; clean_completion: string; split_key: string; dedupe_key: string }>(EARLIER_SQL, [
        groups,
        fingerprint,
        examples.map((e) => e.id),
      ])
    : { rows: [] };
  const prompts = new MeaningIndex();
  const replies = new MeaningIndex();
  type Earlier = { words: AnalyzedText; reply: AnalyzedText; key: string; dedupeKey: string };
  const earlier = new Map<string, Earlier[]>();
  const remember = (group: string, e: Earlier) => earlier.set(group, [...(earlier.get(group) ?? []), e]);
  for (const r of rows) (prompts.add(r.clean_prompt), replies.add(r.clean_completion));
  for (const e of examples) (prompts.add(e.cleanPrompt), replies.add(e.cleanCompletion));
  // Oldest first, so the first of a set of duplicates gives them all its key.
  for (const row of rows.reverse()) {
    remember(row.group_id, { words: prompts.analyze(row.clean_prompt), reply: replies.analyze(row.clean_completion), key: row.split_key, dedupeKey: row.dedupe_key });
  }
  const alike = (index: MeaningIndex, a: AnalyzedText, b: AnalyzedText, least: number) => {
    const m = index.compare(a, b);
    return Math.min(m.queryCoverage, m.docCoverage) >= least;
  };
  const ids: string[] = [];
  const keys: string[] = [];
  const dedupeKeys: string[] = [];
  for (const example of examples) {
    let key = toUuid(hashPrompt(example.cleanPrompt));
    let dedupeKey = example.dedupeKey;
    if (example.groupId) {
      const words = prompts.analyze(example.cleanPrompt);
      const reply = replies.analyze(example.cleanCompletion);
      const wordings = earlier.get(example.groupId) ?? [];
      const same = wordings.find((e) => alike(prompts, words, e.words, SAME_WORDING));
      if (same) key = same.key;
      const duplicate = wordings.find((e) => e.key === key && alike(prompts, words, e.words, duplicateSimilarity) && alike(replies, reply, e.reply, duplicateSimilarity));
      if (duplicate) dedupeKey = duplicate.dedupeKey;
      remember(example.groupId, { words, reply, key, dedupeKey });
    }
    ids.push(example.id);
    keys.push(key);
    dedupeKeys.push(dedupeKey);
  }
  await client.query(
    "UPDATE training_log t SET split_key = k.key, dedupe_key = k.dedupe_key FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS k(id, key, dedupe_key) WHERE t.id = k.id",
    [ids, keys, dedupeKeys],
  );
}

function toUuid(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
