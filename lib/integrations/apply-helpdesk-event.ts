import "server-only";
import type pg from "pg";
import { getPool } from "@/lib/db/client";
import { readEnv } from "@/lib/env";
import { isUsableCompletion } from "@/lib/feedback/completion-quality";
import { hashPrompt } from "@/lib/feedback/normalize-prompt";
import { inferLabel, labelSettingsFrom } from "@/lib/integrations/infer-label";
import type { HelpdeskEvent } from "@/lib/integrations/schemas";
import type { IntegrationSource } from "@/lib/integrations/verify-signature";
import { scheduleGrouping } from "@/lib/meaning/schedule-grouping";

export type AppliedEvent = { duplicate: boolean; replayId: string | null; relabelled: string | null };

type Exchange = { id: string; message: string | null; ai_draft: string | null; agent_reply: string | null; agent_email: string | null; tags: string[]; explicit_feedback: "yes" | "no" | null };

// The open exchange of a conversation (at most one: a partial unique index), created on first use.
// A second message or reply before the exchange completes is appended: the agent answered both.
const UPSERT_EXCHANGE_SQL = `
INSERT INTO helpdesk_exchanges (source, conversation_id, message, ai_draft, agent_reply, agent_email, tags, explicit_feedback)
VALUES ($1, $2, $3, $4, $5, $6, $7::text[], $8)
ON CONFLICT (source, conversation_id) WHERE replay_id IS NULL DO UPDATE SET
  message = CASE WHEN EXCLUDED.message IS NULL THEN helpdesk_exchanges.message
                 WHEN helpdesk_exchanges.message IS NULL THEN EXCLUDED.message
                 ELSE helpdesk_exchanges.message || E'\\n\\n' || EXCLUDED.message END,
  ai_draft = coalesce(EXCLUDED.ai_draft, helpdesk_exchanges.ai_draft),
  agent_reply = CASE WHEN EXCLUDED.agent_reply IS NULL THEN helpdesk_exchanges.agent_reply
                     WHEN helpdesk_exchanges.agent_reply IS NULL THEN EXCLUDED.agent_reply
                     ELSE helpdesk_exchanges.agent_reply || E'\\n\\n' || EXCLUDED.agent_reply END,
  agent_email = coalesce(EXCLUDED.agent_email, helpdesk_exchanges.agent_email),
  tags = ARRAY(SELECT DISTINCT unnest(helpdesk_exchanges.tags || EXCLUDED.tags)),
  explicit_feedback = coalesce(EXCLUDED.explicit_feedback, helpdesk_exchanges.explicit_feedback),
  updated_at = now()
RETURNING id, message, ai_draft, agent_reply, agent_email, tags, explicit_feedback`;

// An exchange with message + draft + reply becomes one submitted replay, with its training example
// when the label is "no", in one statement; prompt_group_id stays NULL (grouping runs after commit).
const INSERT_REPLAY_SQL = `
WITH r AS (
  INSERT INTO feedback_replay_log
    (message, ai_reply, agent_reply, feedback, feedback_inferred, status, ticket_id, source, prompt_hash, agent_email, agent_id, submitted_at)
  VALUES ($1, $2, $3, $4, $5, 'submitted', $6, $7, $8, $9, (SELECT id FROM users WHERE email = $9), now())
  RETURNING id, message, feedback
), t AS (
  INSERT INTO training_log (prompt, completion, status, replay_id)
  SELECT message, $10, $11::training_example_status, id FROM r WHERE feedback = 'no'
)
SELECT id FROM r`;

// Our own suggestion for this ticket (POST /api/suggestions with ticketId) is the draft the agent
// saw: the exchange closes that pending replay instead of writing a second one.
const CLOSE_SUGGESTION_SQL = `
WITH s AS (
  SELECT id FROM feedback_replay_log WHERE ticket_id = $1 AND status = 'pending' ORDER BY created_at DESC LIMIT 1 FOR UPDATE SKIP LOCKED
), r AS (
  UPDATE feedback_replay_log f SET agent_reply = $2, feedback = $3, feedback_inferred = $4, status = 'submitted', submitted_at = now(),
    updated_at = now(), agent_email = coalesce($5, f.agent_email), agent_id = coalesce((SELECT id FROM users WHERE email = $5), f.agent_id)
  FROM s WHERE f.id = s.id AND f.status = 'pending'
  RETURNING f.id, f.message, f.feedback
), t AS (
  INSERT INTO training_log (prompt, completion, status, replay_id)
  SELECT message, $6, $7::training_example_status, id FROM r WHERE feedback = 'no'
  ON CONFLICT (replay_id) DO NOTHING
)
SELECT id FROM r`;

// An explicit label after the replay was written: it replaces an inferred one (and an earlier
// explicit one: the agent changed their mind). A "no" gains its training example; a "yes" drops an
// example nobody has reviewed yet.
const RELABEL_SQL = `
WITH r AS (
  UPDATE feedback_replay_log SET feedback = $2, feedback_inferred = false, updated_at = now()
  WHERE id = $1 AND (feedback IS DISTINCT FROM $2 OR feedback_inferred)
  RETURNING id, message, agent_reply, feedback
), added AS (
  INSERT INTO training_log (prompt, completion, status, replay_id)
  SELECT message, $3, $4::training_example_status, id FROM r WHERE feedback = 'no'
  ON CONFLICT (replay_id) DO NOTHING
), dropped AS (
  DELETE FROM training_log WHERE replay_id IN (SELECT id FROM r WHERE feedback = 'yes') AND review_status = 'pending'
)
SELECT id FROM r`;

/**
 * Applies one verified helpdesk event in one transaction: its id is stored once (a redelivery
 * changes nothing and says so), its part joins the conversation's open exchange whatever order
 * the parts arrive in, and a complete exchange becomes a replay (label: the agent's, else inferred).
 */
export async function applyHelpdeskEvent(source: IntegrationSource, event: HelpdeskEvent): Promise<AppliedEvent> {
  const client = await getPool().connect();
  let result: AppliedEvent = { duplicate: false, replayId: null, relabelled: null };
  try {
    await client.query("BEGIN");
    const claimed = await client.query(
      "INSERT INTO helpdesk_events (source, event_id, kind, conversation_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING event_id",
      [source, event.eventId, event.kind, event.conversationId],
    );
    if (claimed.rowCount === 0) {
      await client.query("ROLLBACK");
      return { duplicate: true, replayId: null, relabelled: null };
    }
    if (event.conversationId && event.kind !== "ping") result = await applyPart(client, source, event);
    await client.query(
      `INSERT INTO integration_status (source, last_event_at, last_event_kind, events_total) VALUES ($1, now(), $2, 1)
       ON CONFLICT (source) DO UPDATE SET last_event_at = now(), last_event_kind = $2, events_total = integration_status.events_total + 1`,
      [source, event.kind],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
  if (result.replayId || result.relabelled) scheduleGrouping();
  return result;
}

async function applyPart(client: pg.PoolClient, source: IntegrationSource, event: HelpdeskEvent): Promise<AppliedEvent> {
  const conversation = event.conversationId!;
  const none = { duplicate: false, replayId: null, relabelled: null };
  if (event.kind === "closed" && event.tags.length === 0) return none;
  if (event.kind === "label") {
    // A label belongs to the latest reply: the open exchange's, if it has one, else the last replay written.
    const open = await client.query<{ agent_reply: string | null }>(
      "SELECT agent_reply FROM helpdesk_exchanges WHERE source = $1 AND conversation_id = $2 AND replay_id IS NULL",
      [source, conversation],
    );
    if (!open.rows[0]?.agent_reply) {
      const last = await client.query<{ replay_id: string }>(
        "SELECT replay_id FROM helpdesk_exchanges WHERE source = $1 AND conversation_id = $2 AND replay_id IS NOT NULL ORDER BY created_at DESC LIMIT 1",
        [source, conversation],
      );
      const replayId = last.rows[0]?.replay_id;
      if (replayId) {
        const { rows } = await client.query<{ agent_reply: string | null }>("SELECT agent_reply FROM feedback_replay_log WHERE id = $1", [replayId]);
        const reply = rows[0]?.agent_reply ?? null;
        const usable = isUsableCompletion(reply);
        const updated = await client.query(RELABEL_SQL, [replayId, event.feedback, usable ? reply!.trim() : "", usable ? "ready" : "needs_completion"]);
        return { ...none, relabelled: updated.rowCount ? replayId : null };
      }
    }
  }
  const { rows } = await client.query<Exchange>(UPSERT_EXCHANGE_SQL, [
    source,
    conversation,
    event.kind === "message" ? event.text : null,
    event.kind === "draft" ? event.text : null,
    event.kind === "reply" ? event.text : null,
    event.agentEmail,
    event.tags,
    event.kind === "label" || event.kind === "reply" ? event.feedback : null,
  ]);
  const exchange = rows[0]!;
  if (!exchange.agent_reply) return none;
  const replayId = await completeExchange(client, source, conversation, exchange);
  if (replayId) await client.query("UPDATE helpdesk_exchanges SET replay_id = $2, updated_at = now() WHERE id = $1", [exchange.id, replayId]);
  return { ...none, replayId };
}

async function completeExchange(client: pg.PoolClient, source: IntegrationSource, conversation: string, exchange: Exchange): Promise<string | null> {
  const reply = exchange.agent_reply!;
  const usable = isUsableCompletion(reply);
  const completion = usable ? reply.trim() : "";
  const status = usable ? "ready" : "needs_completion";
  const settings = labelSettingsFrom(readEnv());
  if (exchange.message && exchange.ai_draft) {
    const feedback = exchange.explicit_feedback ?? inferLabel({ draft: exchange.ai_draft, sent: reply, tags: exchange.tags, settings });
    const { rows } = await client.query<{ id: string }>(INSERT_REPLAY_SQL, [
      exchange.message,
      exchange.ai_draft,
      reply,
      feedback,
      exchange.explicit_feedback === null,
      conversation,
      source,
      hashPrompt(exchange.message),
      exchange.agent_email,
      completion,
      status,
    ]);
    return rows[0]!.id;
  }
  // No draft from the helpdesk: our own suggestion for this ticket, if one is waiting.
  const { rows: pending } = await client.query<{ ai_reply: string }>(
    "SELECT ai_reply FROM feedback_replay_log WHERE ticket_id = $1 AND status = 'pending' ORDER BY created_at DESC LIMIT 1",
    [conversation],
  );
  if (!pending[0]) return null;
  const feedback = exchange.explicit_feedback ?? inferLabel({ draft: pending[0].ai_reply, sent: reply, tags: exchange.tags, settings });
  const { rows } = await client.query<{ id: string }>(CLOSE_SUGGESTION_SQL, [
    conversation,
    reply,
    feedback,
    exchange.explicit_feedback === null,
    exchange.agent_email,
    completion,
    status,
  ]);
  return rows[0]?.id ?? null;
}
