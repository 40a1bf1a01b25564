import "server-only";
import type pg from "pg";
import { hashPrompt } from "@/lib/feedback/normalize-prompt";
import { MeaningIndex } from "@/lib/meaning/meaning-index";

/** Wordings at least this alike both ways (meaning engine) are one wording: same side of the split. */
export const SAME_WORDING = 0.85;
/** A group's earlier wordings compared with a new one at most (the newest). */
const EARLIER = 32;

// The group's wordings already keyed, newest first: a new example that says the same takes their key.
const EARLIER_SQL = `
SELECT g.id AS group_id, o.clean_prompt, o.split_key FROM unnest($1::uuid[]) AS g(id) CROSS JOIN LATERAL (
  SELECT clean_prompt, split_key FROM training_log
  WHERE prompt_group_id = g.id AND split_key IS NOT NULL AND prepared_with = $2 AND NOT (id = ANY($3::uuid[]))
  ORDER BY created_at DESC, id DESC LIMIT ${EARLIER}
) o`;

/**
 * Gives each example just prepared the key that decides its side of the train/validation split:
 * the md5 of its normalised prompt, or the key of an earlier wording of the same question that
 * says the same thing (SAME_WORDING, lib/meaning/). So the validation split holds the question's
 * other wordings, never a near-copy of a training line, and a question is on both sides (the
 * candidate is scored on new wordings of what it learned). `examples` are in creation order.
 */
export async function assignSplitKeys(
  client: pg.Pool | pg.PoolClient,
  examples: { id: string; cleanPrompt: string; groupId: string | null }[],
  fingerprint: string,
): Promise<void> {
  if (examples.length === 0) return;
  const groups = [...new Set(examples.map((e) => e.groupId).filter((g): g is string => g !== null))];
  const { rows } = groups.length
    ? await client.query<{ group_id: string; clean_prompt: string; split_key: string }>(EARLIER_SQL, [groups, fingerprint, examples.map((e) => e.id)])
    : { rows: [] };
  const index = new MeaningIndex();
  const earlier = new Map<string, { words: ReturnType<MeaningIndex["analyze"]>; key: string }[]>();
  const remember = (group: string, prompt: string, key: string) => {
    const list = earlier.get(group) ?? [];
    list.push({ words: index.analyze(prompt), key });
    earlier.set(group, list);
  };
  for (const prompt of [...rows.map((r) => r.clean_prompt), ...examples.map((e) => e.cleanPrompt)]) index.add(prompt);
  for (const row of rows) remember(row.group_id, row.clean_prompt, row.split_key);
  const ids: string[] = [];
  const keys: string[] = [];
  for (const example of examples) {
    let key = toUuid(hashPrompt(example.cleanPrompt));
    if (example.groupId) {
      const words = index.analyze(example.cleanPrompt);
      const same = (earlier.get(example.groupId) ?? []).find((e) => {
        const m = index.compare(words, e.words);
        return Math.min(m.queryCoverage, m.docCoverage) >= SAME_WORDING;
      });
      if (same) key = same.key;
      remember(example.groupId, example.cleanPrompt, key);
    }
    ids.push(example.id);
    keys.push(key);
  }
  await client.query("UPDATE training_log t SET split_key = k.key FROM unnest($1::uuid[], $2::uuid[]) AS k(id, key) WHERE t.id = k.id", [ids, keys]);
}

function toUuid(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
