import { randomBytes } from "node:crypto";
import { getPool } from "@/lib/db/client";
import { hashPrompt, normalizePrompt } from "@/lib/feedback/normalize-prompt";
import { storeFeedbackReplay } from "@/lib/feedback/storage";
import { groupPendingReplays } from "@/lib/meaning/group-pending-replays";

/** Words of letters only: normalisation keeps them (digits become <id>), so texts stay unique. */
export function randomWords(count: number): string {
  const letters = "abcdefghijklmnopqrstuvwxyz";
  return Array.from({ length: count }, () =>
    Array.from(randomBytes(7), (b) => letters[b % 26]).join(""),
  ).join(" ");
}

/** A question of its own, unlike any other test's, in a few surface variants. */
export function uniqueQuestion() {
  const topic = randomWords(4);
  return {
    topic,
    variant: (i: number) => [`Where is my ${topic}?`, `where is my ${topic}`, `WHERE IS MY ${topic.toUpperCase()}!!`, `Where is my ${topic} order #${10000 + i}?`][i % 4]!,
  };
}

/** Stores `no` replays (each with its training example) and `yes` replays of one question. */
export async function storeQuestionReplays({
  question,
  no,
  yes = 0,
  reply = (i: number) => `Reply ${randomWords(6)} number ${i}.`,
  extra = {},
}: {
  question: { variant: (i: number) => string };
  no: number;
  yes?: number;
  reply?: (i: number) => string;
  extra?: Partial<Parameters<typeof storeFeedbackReplay>[0]>;
}) {
  const stored = [];
  for (let i = 0; i < no; i++) {
    stored.push(await storeFeedbackReplay({ message: question.variant(i), aiReply: "Please wait.", agentReply: reply(i), feedback: "no", ...extra }));
  }
  for (let i = 0; i < yes; i++) {
    stored.push(await storeFeedbackReplay({ message: question.variant(i), aiReply: "Please wait.", agentReply: "Please wait.", feedback: "yes", ...extra }));
  }
  // Grouping runs after the write, in the background; tests read the groups, so wait for it.
  await groupPendingReplays({ waitMs: 30_000 });
  return stored;
}

/**
 * A prompt group with `wordings` different messages (two replays each), written as grouped rows
 * directly (no engine run): for tests of a manager's split, move and merge. Returns the group id
 * and the wordings' prompt hashes.
 */
export async function createPromptGroup(wordings = 2): Promise<{ id: string; hashes: string[] }> {
  const messages = Array.from({ length: wordings }, () => `Question ${randomWords(3)}`);
  const pool = getPool();
  const { rows } = await pool.query<{ id: string }>("INSERT INTO prompt_groups (representative, normalized, prompt_hash) VALUES ($1, $2, $3) RETURNING id", [
    messages[0],
    normalizePrompt(messages[0]!),
    hashPrompt(messages[0]!),
  ]);
  const id = rows[0]!.id;
  await pool.query(
    `INSERT INTO feedback_replay_log (message, ai_reply, agent_reply, feedback, status, submitted_at, prompt_hash, prompt_group_id)
     SELECT m, 'Please wait.', 'A better reply.', 'no', 'submitted', now(), h, $3 FROM unnest($1::text[], $2::text[]) AS w(m, h), generate_series(1, 2)`,
    [messages, messages.map(hashPrompt), id],
  );
  return { id, hashes: messages.map(hashPrompt) };
}
