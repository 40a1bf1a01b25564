import "server-only";
import { getPool } from "@/lib/db/client";
import { readTrainingSettings } from "@/lib/training/read-training-settings";
import { redactPii } from "@/lib/training/redact-pii";

export type GroupMember = { message: string; noCount: number; yesCount: number; lastSeen: Date };

/**
 * The different wordings of each group in the window (messages that differ only in order
 * numbers, amounts, case or punctuation are one wording: the same prompt_hash), each shown by its
 * newest text, most "not useful" first (up to `perGroup` per group), for the worst-prompts table.
 * One query for all the groups on the page. Redacted as the training data will be (customer
 * messages are personal data: a manager sees the question, not the email or the name).
 */
export async function listGroupMembers({
  groupIds,
  since,
  perGroup = 8,
}: {
  groupIds: string[];
  since: Date;
  perGroup?: number;
}): Promise<Map<string, { members: GroupMember[]; distinct: number }>> {
  const result = new Map<string, { members: GroupMember[]; distinct: number }>();
  if (groupIds.length === 0) return result;
  const { rows } = await getPool().query(
    `SELECT group_id, message, customer_name, no_count, yes_count, last_seen, distinct_messages FROM (
       SELECT prompt_group_id AS group_id, (array_agg(message ORDER BY created_at DESC))[1] AS message,
              (array_agg(customer_name ORDER BY created_at DESC))[1] AS customer_name,
              count(*) FILTER (WHERE feedback = 'no')::int AS no_count,
              count(*) FILTER (WHERE feedback = 'yes')::int AS yes_count,
              max(created_at) AS last_seen,
              row_number() OVER (PARTITION BY prompt_group_id ORDER BY count(*) FILTER (WHERE feedback = 'no') DESC, max(created_at) DESC) AS rank,
              count(*) OVER (PARTITION BY prompt_group_id)::int AS distinct_messages
       FROM feedback_replay_log
       WHERE prompt_group_id = ANY($1::uuid[]) AND feedback IS NOT NULL AND created_at >= $2
       GROUP BY prompt_group_id, prompt_hash
     ) m WHERE rank <= $3 ORDER BY group_id, rank`,
    [groupIds, since, perGroup],
  );
  const { idPatterns } = readTrainingSettings();
  for (const r of rows) {
    const entry = result.get(r.group_id) ?? { members: [] as GroupMember[], distinct: Number(r.distinct_messages) };
    entry.members.push({ message: redactPii(r.message, { names: [r.customer_name], idPatterns }).text, noCount: r.no_count, yesCount: r.yes_count, lastSeen: r.last_seen });
    result.set(r.group_id, entry);
  }
  return result;
}
