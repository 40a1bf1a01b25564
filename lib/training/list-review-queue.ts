import "server-only";
import { getPool } from "@/lib/db/client";
import { cleanExample } from "@/lib/training/clean-example";
import { loadChatTokenCounter } from "@/lib/training/count-tokens";
import { defaultSince } from "@/lib/training/find-worst-prompts";
import { readTrainingSettings } from "@/lib/training/read-training-settings";
import type { RedactionCounts } from "@/lib/training/redact-pii";
import type { ReviewQuery } from "@/lib/training/schemas";

export type ReviewItem = {
  id: string;
  replayId: string | null;
  groupId: string | null;
  groupLabel: string | null;
  groupNoCount: number | null;
  prompt: string;
  aiReply: string | null;
  completion: string;
  originalCompletion: string | null;
  status: "ready" | "needs_completion";
  reviewStatus: "pending" | "approved" | "rejected" | "merged";
  duplicateOf: string | null;
  ticketId: string | null;
  topic: string | null;
  agentName: string | null;
  reviewerName: string | null;
  createdAt: string;
  reviewedAt: string | null;
  /** Another example of the same group answers very differently (CONFLICT_SIMILARITY). */
  conflict: boolean;
  /** What the export will contain: the redacted texts, with counts and tokens. */
  clean: { prompt: string; completion: string; redactions: RedactionCounts; tokenCount: number; tooLong: boolean };
  /** Set when an earlier item in this list is the same example once redacted and normalised. */
  sameAs: string | null;
};

// Worst groups in the window (the same rule as findWorstPrompts), then the examples, worst group
// first, a group's examples together. The conflict test compares completions within the group
// with pg_trgm similarity.
const LIST_SQL = `
WITH worst AS (
  SELECT prompt_group_id AS group_id, count(*)::int AS no_count
  FROM feedback_replay_log
  WHERE feedback = 'no' AND created_at >= $1 AND prompt_group_id IS NOT NULL
  GROUP BY prompt_group_id HAVING count(*) > $2
), items AS (
  SELECT t.id, t.prompt, t.completion, t.original_completion, t.status, t.review_status, t.duplicate_of,
         t.created_at, t.reviewed_at, r.id AS replay_id, r.ai_reply, r.ticket_id, r.topic, r.customer_name,
         r.prompt_group_id, w.no_count, g.representative, u.name AS agent_name, rv.name AS reviewer_name,
         t.status = 'ready' AND EXISTS (
           SELECT 1 FROM feedback_replay_log orr JOIN training_log o ON o.replay_id = orr.id
           WHERE orr.prompt_group_id = r.prompt_group_id AND o.id <> t.id AND o.status = 'ready'
             AND o.review_status IN ('pending', 'approved') AND similarity(o.completion, t.completion) < $3
         ) AS conflict
  FROM training_log t
  LEFT JOIN feedback_replay_log r ON r.id = t.replay_id
  LEFT JOIN worst w ON w.group_id = r.prompt_group_id
  LEFT JOIN prompt_groups g ON g.id = r.prompt_group_id
  LEFT JOIN users u ON u.id = r.agent_id
  LEFT JOIN users rv ON rv.id = t.reviewed_by
  WHERE ($4::text = 'all' OR t.review_status = $4::training_review_status)
    AND ($5::uuid IS NULL OR r.prompt_group_id = $5)
    AND ($6::text = 'all' OR w.group_id IS NOT NULL)
    AND ($7::text IS NULL OR t.prompt ILIKE '%' || $7 || '%' OR t.completion ILIKE '%' || $7 || '%')
)
SELECT *, count(*) OVER ()::int AS total FROM items
WHERE NOT $8::boolean OR conflict
ORDER BY no_count DESC NULLS LAST, prompt_group_id, created_at, id
LIMIT $9`;

/** The manager's review queue, with the redaction preview of every item. */
export async function listReviewQueue(query: ReviewQuery): Promise<{ items: ReviewItem[]; total: number }> {
  const settings = readTrainingSettings();
  const since = defaultSince(query.days ?? settings.windowDays);
  const { rows } = await getPool().query(LIST_SQL, [
    since,
    settings.threshold,
    settings.conflictSimilarity,
    query.status,
    query.group ?? null,
    query.group ? "all" : query.scope,
    query.q || null,
    query.conflicts,
    query.limit,
  ]);
  const countChatTokens = await loadChatTokenCounter();
  const seen = new Map<string, string>();
  const items = rows.map((r): ReviewItem => {
    const clean = cleanExample({
      prompt: r.prompt,
      completion: r.completion,
      names: [r.customer_name, r.agent_name],
      idPatterns: settings.idPatterns,
      systemPrompt: settings.systemPrompt,
      countChatTokens,
    });
    const sameAs = seen.get(clean.exactKey) ?? null;
    if (!sameAs) seen.set(clean.exactKey, r.id);
    return {
      id: r.id,
      replayId: r.replay_id,
      groupId: r.prompt_group_id,
      groupLabel: r.representative,
      groupNoCount: r.no_count,
      prompt: r.prompt,
      aiReply: r.ai_reply,
      completion: r.completion,
      originalCompletion: r.original_completion,
      status: r.status,
      reviewStatus: r.review_status,
      duplicateOf: r.duplicate_of,
      ticketId: r.ticket_id,
      topic: r.topic,
      agentName: r.agent_name,
      reviewerName: r.reviewer_name,
      createdAt: (r.created_at as Date).toISOString(),
      reviewedAt: r.reviewed_at ? (r.reviewed_at as Date).toISOString() : null,
      conflict: r.conflict,
      clean: { prompt: clean.prompt, completion: clean.completion, redactions: clean.redactions, tokenCount: clean.tokenCount, tooLong: clean.tokenCount > settings.maxTokens },
      sameAs,
    };
  });
  return { items, total: rows[0]?.total ?? 0 };
}
