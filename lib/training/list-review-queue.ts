import "server-only";
import { getPool } from "@/lib/db/client";
import { findConflictingAnswers, type GroupAnswer } from "@/lib/meaning/find-differing-answers";
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
  /** Another example of the same group answers very differently (CONFLICT_SIMILARITY, meaning engine). */
  conflict: boolean;
  /** What the export will contain: the redacted texts, with counts and tokens. */
  clean: { prompt: string; completion: string; redactions: RedactionCounts; tokenCount: number; tooLong: boolean };
  /** Set when an earlier item in this list is the same example once redacted and normalised. */
  sameAs: string | null;
};

// Worst groups in the window (the same rule as findWorstPrompts), then the examples, worst group
// first, a group's examples together. $8: when only conflicts are wanted, their ids (found by the
// meaning engine, findConflictingAnswers), else null.
const WORST_CTE = `
WITH worst AS (
  SELECT prompt_group_id AS group_id, count(*)::int AS no_count
  FROM feedback_replay_log
  WHERE feedback = 'no' AND created_at >= $1 AND prompt_group_id IS NOT NULL
  GROUP BY prompt_group_id HAVING count(*) > $2
)`;

const LIST_SQL = `${WORST_CTE}, items AS (
  SELECT t.id, t.prompt, t.completion, t.original_completion, t.status, t.review_status, t.duplicate_of,
         t.created_at, t.reviewed_at, r.id AS replay_id, r.ai_reply, r.ticket_id, r.topic, r.customer_name,
         r.prompt_group_id, w.no_count, g.representative, u.name AS agent_name, rv.name AS reviewer_name
  FROM training_log t
  LEFT JOIN feedback_replay_log r ON r.id = t.replay_id
  LEFT JOIN worst w ON w.group_id = r.prompt_group_id
  LEFT JOIN prompt_groups g ON g.id = r.prompt_group_id
  LEFT JOIN users u ON u.id = r.agent_id
  LEFT JOIN users rv ON rv.id = t.reviewed_by
  WHERE ($3::text = 'all' OR t.review_status = $3::training_review_status)
    AND ($4::uuid IS NULL OR r.prompt_group_id = $4)
    AND ($5::text = 'all' OR w.group_id IS NOT NULL)
    AND ($6::text IS NULL OR t.prompt ILIKE '%' || $6 || '%' OR t.completion ILIKE '%' || $6 || '%')
    AND ($7::uuid[] IS NULL OR t.id = ANY($7::uuid[]))
)
SELECT *, count(*) OVER ()::int AS total FROM items
ORDER BY no_count DESC NULLS LAST, prompt_group_id, created_at, id
LIMIT $8`;

/** Per group, the answers a conflict is judged against: ready, not rejected, newest first (bounded). */
const ANSWERS_PER_GROUP = 2000;
const GROUP_ANSWERS_SQL = `
SELECT a.* FROM unnest($1::uuid[]) AS g(id) CROSS JOIN LATERAL (
  SELECT t.id, t.completion AS text, g.id AS group_id
  FROM feedback_replay_log r JOIN training_log t ON t.replay_id = r.id
  WHERE r.prompt_group_id = g.id AND t.status = 'ready' AND t.review_status IN ('pending', 'approved')
  ORDER BY r.created_at DESC LIMIT ${ANSWERS_PER_GROUP}
) a`;

/** The ready examples in scope of a conflicts-only view (its status, group and search filters). */
const SCOPE_SQL = `${WORST_CTE}
SELECT t.id, t.completion AS text, r.prompt_group_id AS group_id
FROM training_log t
JOIN feedback_replay_log r ON r.id = t.replay_id
LEFT JOIN worst w ON w.group_id = r.prompt_group_id
WHERE t.status = 'ready' AND r.prompt_group_id IS NOT NULL
  AND ($3::text = 'all' OR t.review_status = $3::training_review_status)
  AND ($4::uuid IS NULL OR r.prompt_group_id = $4)
  AND ($5::text = 'all' OR w.group_id IS NOT NULL)
  AND ($6::text IS NULL OR t.prompt ILIKE '%' || $6 || '%' OR t.completion ILIKE '%' || $6 || '%')`;

type Row = { id: string; text: string; group_id: string };
const toAnswer = (r: Row): GroupAnswer => ({ id: r.id, groupId: r.group_id, text: r.text });

/** Which of `items` conflict with another answer of their group (see findConflictingAnswers). */
async function conflictsOf(items: GroupAnswer[], threshold: number): Promise<Set<string>> {
  const groups = [...new Set(items.map((i) => i.groupId))];
  if (groups.length === 0) return new Set();
  const { rows } = await getPool().query<Row>(GROUP_ANSWERS_SQL, [groups]);
  return findConflictingAnswers(items, rows.map(toAnswer), threshold);
}

/** The manager's review queue, with the redaction preview of every item. */
export async function listReviewQueue(query: ReviewQuery): Promise<{ items: ReviewItem[]; total: number }> {
  const settings = readTrainingSettings();
  const since = defaultSince(query.days ?? settings.windowDays);
  const filters = [since, settings.threshold, query.status, query.group ?? null, query.group ? "all" : query.scope, query.q || null];
  let only: string[] | null = null;
  if (query.conflicts) {
    const { rows: scope } = await getPool().query<Row>(SCOPE_SQL, filters);
    const items = scope.map(toAnswer);
    only = [...(await conflictsOf(items, settings.conflictSimilarity))];
  }
  const { rows } = await getPool().query(LIST_SQL, [...filters, only, query.limit]);
  const conflicting =
    only !== null
      ? new Set(only)
      : await conflictsOf(
          rows.filter((r) => r.status === "ready" && r.prompt_group_id).map((r) => ({ id: r.id, groupId: r.prompt_group_id, text: r.completion })),
          settings.conflictSimilarity,
        );
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
      conflict: conflicting.has(r.id),
      clean: { prompt: clean.prompt, completion: clean.completion, redactions: clean.redactions, tokenCount: clean.tokenCount, tooLong: clean.tokenCount > settings.maxTokens },
      sameAs,
    };
  });
  return { items, total: rows[0]?.total ?? 0 };
}
