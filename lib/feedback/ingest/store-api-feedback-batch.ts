import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { getPool } from "@/lib/db/client";
import { UserError } from "@/lib/errors";
import { isUsableCompletion } from "@/lib/feedback/completion-quality";
import { hashPrompt } from "@/lib/feedback/normalize-prompt";
import type { FeedbackReplayInput } from "@/lib/feedback/schemas";
import type { StoredReplay } from "@/lib/feedback/storage";
import { countRateLimited } from "@/lib/rate-limit/enforce-rate-limit";
import { scheduleGrouping } from "@/lib/meaning/schedule-grouping";

export type ApiFeedbackItem = { apiKeyId: string; idempotencyKey: string | null; input: FeedbackReplayInput };

/** Per item: stored (created now, or the earlier answer to the same Idempotency-Key), or refused. */
export type ApiFeedbackOutcome = { ok: true; stored: StoredReplay; created: boolean } | { ok: false; error: unknown };

const REVOKED = new UserError({
  code: "unauthorized",
  status: 401,
  message: "This API key was revoked. Create a new one with `npm run cli -- api-key create`.",
});

// One statement for the whole batch, so its rows share one commit and one run of each
// statement-level trigger (the analytics rollup, the retrieval keys). Ids are made here, so an
// Idempotency-Key row carries its response from the start and is written in the same statement
// as its replay: a concurrent duplicate waits on the key's primary key until this commits, then
// does nothing. The key is re-checked here, so a key revoked a moment ago writes nothing.
const INSERT_BATCH_SQL = `
WITH input AS (
  SELECT * FROM unnest(
    $1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::feedback[], $8::text[], $9::text[],
    $10::text[], $11::text[], $12::uuid[], $13::text[], $14::uuid[], $15::text[], $16::training_example_status[],
    $17::text[], $18::text[], $19::jsonb[]
  ) AS i(id, api_key_id, message, ai_reply, agent_reply, agent_email, feedback, ticket_id, topic,
         model, prompt_hash, prompt_group_id, customer_name, example_id, completion, example_status,
         idempotency_key, request_hash, response)
), live AS (
  SELECT id FROM api_keys WHERE id = ANY($2::uuid[]) AND revoked_at IS NULL
), claimed AS (
  INSERT INTO api_idempotency_keys (api_key_id, key, request_hash, replay_id, response)
  SELECT i.api_key_id, i.idempotency_key, i.request_hash, i.id, i.response
  FROM input i WHERE i.idempotency_key IS NOT NULL AND i.api_key_id IN (SELECT id FROM live)
  ON CONFLICT DO NOTHING
  RETURNING replay_id
), r AS (
  INSERT INTO feedback_replay_log
    (id, message, ai_reply, agent_reply, feedback, status, ticket_id, topic, model, source, prompt_hash,
     agent_email, agent_id, submitted_at, prompt_group_id, customer_name)
  SELECT i.id, i.message, i.ai_reply, i.agent_reply, i.feedback, 'submitted', i.ticket_id, i.topic, i.model, 'api',
    i.prompt_hash, i.agent_email, u.id, now(), i.prompt_group_id, i.customer_name
  FROM input i LEFT JOIN users u ON u.email = i.agent_email
  WHERE i.api_key_id IN (SELECT id FROM live)
    AND (i.idempotency_key IS NULL OR i.id IN (SELECT replay_id FROM claimed))
  RETURNING id, feedback
), t AS (
  INSERT INTO training_log (id, prompt, completion, status, replay_id)
  SELECT i.example_id, i.message, i.completion, i.example_status, i.id
  FROM input i JOIN r ON r.id = i.id WHERE r.feedback = 'no'
)
SELECT (SELECT coalesce(array_agg(id), '{}') FROM r) AS stored, (SELECT coalesce(array_agg(id), '{}') FROM live) AS live`;

/**
 * Stores a batch of helpdesk submissions (authenticated already): counts each against its key's
 * rate limit, writes every allowed replay with its training example in one
 * statement, and answers repeated Idempotency-Keys with the first request's body. One result per
 * item, in order; a refused item (rate limit, reused key, revoked key) does not fail the others.
 * When the statement itself fails (a bad row) each item is retried alone, so one bad row cannot
 * fail its neighbours; a database outage rejects the whole batch.
 */
export async function storeApiFeedbackBatch(items: ApiFeedbackItem[]): Promise<ApiFeedbackOutcome[]> {
  const outcomes: (ApiFeedbackOutcome | undefined)[] = new Array(items.length);
  const refusals = await countRateLimited({ bucket: "api", keys: items.map((i) => i.apiKeyId) });
  const allowed: number[] = [];
  refusals.forEach((refusal, index) => (refusal ? (outcomes[index] = { ok: false, error: refusal }) : allowed.push(index)));
  if (allowed.length > 0) {
    const written = await writeAll(allowed.map((index) => items[index]!)).catch(async (error: unknown) => {
      if (allowed.length === 1 || isConnectionError(error)) throw error;
      return Promise.all(allowed.map((index) => writeAll([items[index]!]).then((r) => r[0]!, (e: unknown) => ({ ok: false, error: e }) as const)));
    });
    allowed.forEach((index, n) => (outcomes[index] = written[n]));
  }
  return outcomes as ApiFeedbackOutcome[];
}

function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code !== "string" || /^(08|57P|53)/.test(code) || /^E[A-Z]+$/.test(code);
}

function requestHash(input: FeedbackReplayInput): string {
  return createHash("sha256").update(JSON.stringify(input)).digest("hex");
}

async function writeAll(items: ApiFeedbackItem[]): Promise<ApiFeedbackOutcome[]> {
  const rows = items.map(({ apiKeyId, idempotencyKey, input }, n) => {
    const id = randomUUID();
    const exampleId = input.feedback === "no" ? randomUUID() : null;
    const usable = isUsableCompletion(input.agentReply);
    const stored: StoredReplay = { id, trainingExampleId: exampleId };
    return { id, apiKeyId, idempotencyKey, input, exampleId, usable, stored, hash: idempotencyKey ? requestHash(input) : null };
  });
  const column = <T>(pick: (row: (typeof rows)[number]) => T) => rows.map(pick);
  const { rows: result } = await getPool().query<{ stored: string[]; live: string[] }>(INSERT_BATCH_SQL, [
    column((r) => r.id),
    column((r) => r.apiKeyId),
    column((r) => r.input.message),
    column((r) => r.input.aiReply),
    column((r) => r.input.agentReply ?? null),
    column((r) => r.input.agentEmail?.toLowerCase() ?? null),
    column((r) => r.input.feedback),
    column((r) => r.input.ticketId ?? null),
    column((r) => r.input.topic ?? null),
    column((r) => r.input.model ?? "unknown"),
    column((r) => hashPrompt(r.input.message)),
    column(() => null),
    column((r) => r.input.customerName?.trim() || null),
    column((r) => r.exampleId),
    column((r) => (r.usable ? r.input.agentReply!.trim() : "")),
    column((r) => (r.usable ? "ready" : "needs_completion")),
    column((r) => r.idempotencyKey),
    column((r) => r.hash),
    column((r) => JSON.stringify(r.stored)),
  ]);
  const stored = new Set(result[0]!.stored);
  // Grouped by meaning in the background (lib/meaning/group-pending-replays.ts).
  if (stored.size > 0) scheduleGrouping();
  const live = new Set(result[0]!.live);
  const repeated = rows.filter((r) => !stored.has(r.id) && live.has(r.apiKeyId));
  const previous = await findPrevious(repeated);
  return rows.map((r): ApiFeedbackOutcome => {
    if (stored.has(r.id)) return { ok: true, stored: r.stored, created: true };
    if (!live.has(r.apiKeyId)) return { ok: false, error: REVOKED };
    return previous.get(r.id)!;
  });
}

/** The answers for Idempotency-Keys that were already used: the first body, or 422 for a different request. */
async function findPrevious(rows: { id: string; apiKeyId: string; idempotencyKey: string | null; hash: string | null }[]) {
  const answers = new Map<string, ApiFeedbackOutcome>();
  if (rows.length === 0) return answers;
  const { rows: found } = await getPool().query<{ api_key_id: string; key: string; request_hash: string; response: StoredReplay | null }>(
    `SELECT api_key_id, key, request_hash, response FROM api_idempotency_keys
     WHERE (api_key_id, key) IN (SELECT * FROM unnest($1::uuid[], $2::text[]))`,
    [rows.map((r) => r.apiKeyId), rows.map((r) => r.idempotencyKey)],
  );
  const byKey = new Map(found.map((f) => [`${f.api_key_id} ${f.key}`, f]));
  for (const row of rows) {
    const previous = byKey.get(`${row.apiKeyId} ${row.idempotencyKey}`);
    if (!previous?.response) {
      answers.set(row.id, {
        ok: false,
        error: new UserError({
          code: "idempotency_conflict",
          status: 409,
          message: "A request with this Idempotency-Key is still being processed. Retry in a moment.",
        }),
      });
    } else if (previous.request_hash !== row.hash) {
      answers.set(row.id, {
        ok: false,
        error: new UserError({
          code: "idempotency_key_reused",
          status: 422,
          message: "This Idempotency-Key was already used with a different body. Use a new key for a new request.",
        }),
      });
    } else {
      answers.set(row.id, { ok: true, stored: previous.response, created: false });
    }
  }
  return answers;
}
