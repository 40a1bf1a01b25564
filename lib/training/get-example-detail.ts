import "server-only";
import { getPool } from "@/lib/db/client";
import type { FailureCategory } from "@/lib/ai/failure-categories";
import { normalizePrompt } from "@/lib/feedback/normalize-prompt";
import { rankDifferingAnswers } from "@/lib/meaning/find-differing-answers";
import { listExampleDatasets, type ExampleDataset } from "@/lib/training/list-example-datasets";
import { readTrainingSettings } from "@/lib/training/read-training-settings";
import { redactPii } from "@/lib/training/redact-pii";

export type ExampleDetail = {
  history: { decision: string; reviewerName: string | null; at: string; completion: string | null; duplicateOf: string | null }[];
  datasets: ExampleDataset[];
  /** Other answers to the same question that differ a lot from this one (the conflict), redacted, alike ones counted once. */
  otherAnswers: { id: string; completion: string; agentNames: string[]; count: number; similarity: number }[];
  mergedHere: number;
  /** The AI's own explanation of the miss (self-critique), redacted like the rest; null when none was made. */
  analysis: {
    status: "pending" | "running" | "done" | "failed";
    category: FailureCategory | null;
    explanation: string | null;
    suggestedFix: string | null;
    agentCategory: FailureCategory | null;
  } | null;
};

/** Lineage and history of one example, for the review view's side panel. */
export async function getExampleDetail(id: string): Promise<ExampleDetail> {
  const pool = getPool();
  const { conflictSimilarity, idPatterns } = readTrainingSettings();
  const [history, datasets, others, merged, analyses] = await Promise.all([
    pool.query(
      `SELECT h.decision, u.name AS reviewer_name, h.created_at, h.completion, h.duplicate_of
       FROM training_reviews h LEFT JOIN users u ON u.id = h.reviewer_id
       WHERE h.example_id = $1 ORDER BY h.created_at DESC LIMIT 50`,
      [id],
    ),
    listExampleDatasets(id),
    pool.query(
      `SELECT o.id, o.completion, u.name AS agent_name, orr.customer_name, t.completion AS own_completion
       FROM training_log t
       JOIN feedback_replay_log r ON r.id = t.replay_id
       JOIN feedback_replay_log orr ON orr.prompt_group_id = r.prompt_group_id
       JOIN training_log o ON o.replay_id = orr.id
       LEFT JOIN users u ON u.id = orr.agent_id
       WHERE t.id = $1 AND o.id <> t.id AND o.status = 'ready' AND o.review_status IN ('pending', 'approved')
       ORDER BY orr.created_at DESC LIMIT 2000`,
      [id],
    ),
    pool.query("SELECT count(*)::int AS n FROM training_log WHERE duplicate_of = $1", [id]),
    pool.query(
      `SELECT fa.status, fa.category, fa.explanation, fa.suggested_fix, fa.agent_category, r.customer_name, u.name AS agent_name
       FROM training_log t JOIN failure_analyses fa ON fa.replay_id = t.replay_id
       JOIN feedback_replay_log r ON r.id = t.replay_id LEFT JOIN users u ON u.id = r.agent_id
       WHERE t.id = $1`,
      [id],
    ),
  ]);
  const a = analyses.rows[0];
  const redact = (text: string | null) =>
    text === null ? null : redactPii(text, { names: [a?.agent_name as string | null, a?.customer_name as string | null], idPatterns }).text;
  return {
    history: history.rows.map((h) => ({
      decision: h.decision,
      reviewerName: h.reviewer_name,
      at: (h.created_at as Date).toISOString(),
      completion: h.completion,
      duplicateOf: h.duplicate_of,
    })),
    datasets,
    otherAnswers: distinctAnswers(
      others.rows.length > 0 ? await rankDifferingAnswers(String(others.rows[0].own_completion), others.rows as { completion: string }[], conflictSimilarity) : [],
      idPatterns,
    ),
    mergedHere: merged.rows[0].n,
    analysis: a
      ? { status: a.status, category: a.category, explanation: redact(a.explanation), suggestedFix: redact(a.suggested_fix), agentCategory: a.agent_category }
      : null,
  };
}

/** Redacted like the rest of the review view; answers that differ only in ids, case or punctuation once. */
function distinctAnswers(rows: (Record<string, unknown> & { similarity: number })[], idPatterns: string[]): ExampleDetail["otherAnswers"] {
  const byText = new Map<string, ExampleDetail["otherAnswers"][number]>();
  for (const row of rows) {
    const completion = redactPii(String(row.completion), { names: [row.agent_name as string | null, row.customer_name as string | null], idPatterns }).text;
    const key = normalizePrompt(completion);
    const seen = byText.get(key);
    const agent = (row.agent_name as string | null) ?? "unknown agent";
    if (seen) {
      seen.count++;
      if (!seen.agentNames.includes(agent)) seen.agentNames.push(agent);
    } else {
      byText.set(key, { id: String(row.id), completion, agentNames: [agent], count: 1, similarity: Number(row.similarity) });
    }
  }
  return [...byText.values()].slice(0, 5);
}
