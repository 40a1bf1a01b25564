import "server-only";
import { groupPendingReplays } from "@/lib/meaning/group-pending-replays";
import { createHash } from "node:crypto";
import { getPool } from "@/lib/db/client";
import { assignExampleKeys } from "@/lib/training/assign-example-keys";
import { cleanExample } from "@/lib/training/clean-example";
import { normalizePrompt } from "@/lib/feedback/normalize-prompt";
import { redactPii } from "@/lib/training/redact-pii";
import { loadChatTokenCounter } from "@/lib/training/count-tokens";
import { readTrainingSettings, type TrainingSettings } from "@/lib/training/read-training-settings";

// Examples whose cleaned texts were made with other settings (or never), oldest first. The names
// to redact are the customer's (from the helpdesk) and the answering agent's.
const SELECT_SQL = `
SELECT t.id, t.prompt, t.completion, r.ai_reply, r.customer_name, u.name AS agent_name, r.prompt_group_id
FROM training_log t
LEFT JOIN feedback_replay_log r ON r.id = t.replay_id
LEFT JOIN users u ON u.id = r.agent_id
WHERE (t.prepared_with IS NULL OR t.prepared_with < $1 OR t.prepared_with > $1) -- IS DISTINCT FROM $1, as index ranges
ORDER BY t.created_at, t.id
LIMIT $2`;

const UPDATE_SQL = `
UPDATE training_log t
SET clean_prompt = i.clean_prompt, clean_completion = i.clean_completion, redactions = i.redactions,
    token_count = i.token_count, dedupe_key = i.dedupe_key, prompt_group_id = i.prompt_group_id, prepared_with = $7,
    clean_rejected = i.clean_rejected
FROM unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[], $5::int[], $6::text[], $8::text[], $9::uuid[], $10::text[])
  AS i(id, clean_prompt, clean_completion, redactions, token_count, dedupe_key, source_md5, prompt_group_id, clean_rejected)
-- A manager may have edited the completion since it was read: then leave it for the next run.
WHERE t.id = i.id AND md5(t.prompt || E'\\n' || t.completion) = i.source_md5`;

/**
 * Redacts, counts tokens and computes duplicate keys for every example not yet prepared with the
 * current settings, in batches, oldest first. Runs before every export (so exports are always
 * current) and is cheap when nothing changed. Safe to run concurrently: two runs write the same values.
 * With `until` (a performance.now() time) it stops after the first batch that ends past it,
 * `done: false` if some may be left: the export streams what is prepared meanwhile (export-jsonl.ts). The batches
 * are the same either way (the oldest unprepared), and a batch writes only its own rows, so slices
 * give the same values as one go, and a prepared example is not changed by those after it. `group: false` skips grouping (done by an earlier call).
 */
export async function prepareExamples({
  settings = readTrainingSettings(),
  batchSize = 1000,
  until = Infinity,
  group = true,
}: { settings?: TrainingSettings; batchSize?: number; until?: number; group?: boolean } = {}): Promise<{ prepared: number; done: boolean }> {
  // An example copies its replay's prompt group: group what is pending first.
  if (group) await groupPendingReplays({ waitMs: 30_000 });
  const pool = getPool();
  let prepared = 0;
  for (;;) {
    const { rows } = await pool.query(SELECT_SQL, [settings.fingerprint, batchSize]);
    if (rows.length === 0) break;
    const countChatTokens = await loadChatTokenCounter();
    const columns = { ids: [] as string[], prompts: [] as string[], completions: [] as string[], redactions: [] as string[], tokens: [] as number[], keys: [] as string[], sources: [] as string[], groups: [] as (string | null)[], rejected: [] as (string | null)[] };
    for (const row of rows) {
      const clean = cleanExample({
        prompt: row.prompt,
        completion: row.completion,
        names: [row.customer_name, row.agent_name],
        idPatterns: settings.idPatterns,
        systemPrompt: settings.systemPrompt,
        countChatTokens,
      });
      columns.ids.push(row.id);
      columns.prompts.push(clean.prompt);
      columns.completions.push(clean.completion);
      columns.redactions.push(JSON.stringify(clean.redactions));
      columns.tokens.push(clean.tokenCount);
      columns.keys.push(clean.exactKey);
      columns.groups.push(row.prompt_group_id);
      // The AI's reply is the rejected side of a preference pair: redacted with the same names and patterns.
      columns.rejected.push(rejectedOutput({ aiReply: row.ai_reply, completion: clean.completion, names: [row.customer_name, row.agent_name], idPatterns: settings.idPatterns }));
      columns.sources.push(createHash("md5").update(`${row.prompt}\n${row.completion}`).digest("hex"));
    }
    await pool.query(UPDATE_SQL, [columns.ids, columns.prompts, columns.completions, columns.redactions, columns.tokens, columns.keys, settings.fingerprint, columns.sources, columns.groups, columns.rejected]);
    // Near duplicates and the split, by meaning within each question (lib/meaning/).
    await assignExampleKeys(
      pool,
      columns.ids.map((id, i) => ({ id, cleanPrompt: columns.prompts[i]!, cleanCompletion: columns.completions[i]!, dedupeKey: columns.keys[i]!, groupId: columns.groups[i] ?? null })),
      settings,
    );
    prepared += rows.length;
    if (performance.now() >= until) return { prepared, done: rows.length < batchSize };
  }
  return { prepared, done: true };
}

/**
 * The redacted AI reply when it and the agent's reply make a preference pair (DPO): not empty,
 * and not the same reply once normalised. NULL otherwise: no pair to learn from.
 */
function rejectedOutput({ aiReply, completion, names, idPatterns }: { aiReply: string | null; completion: string; names: (string | null)[]; idPatterns: string[] }): string | null {
  if (!aiReply || aiReply.trim() === "" || completion.trim() === "") return null;
  const rejected = redactPii(aiReply, { names, idPatterns }).text;
  return normalizePrompt(rejected) === normalizePrompt(completion) ? null : rejected;
}
