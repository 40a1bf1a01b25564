import "server-only";
import { getPool } from "@/lib/db/client";
import { UserError } from "@/lib/errors";
import { isUsableCompletion } from "@/lib/feedback/completion-quality";
import type { SubmitReplayInput } from "@/lib/feedback/schemas";
import { scheduleGrouping } from "@/lib/meaning/schedule-grouping";

// The state check lives in the UPDATE (status = 'pending'), and the training example is written in
// the same statement, so a double submit can neither store twice nor leave a "no" without example.
// A replay another agent holds (a live reservation, lib/feedback/reserve-replay.ts) is not closed
// over their head; the submit lets go of the replay's reservation in the same statement.
const SUBMIT_SQL = `
WITH r AS (
  UPDATE feedback_replay_log
  SET agent_reply = $2, feedback = $3, status = 'submitted', agent_id = $4,
      agent_email = $5, submission_id = $6, submitted_at = now(), updated_at = now()
  WHERE id = $1 AND status = 'pending'
    AND NOT EXISTS (SELECT 1 FROM replay_reservations v WHERE v.replay_id = $1 AND v.agent_id <> $4 AND v.expires_at > now())
  RETURNING id, message, feedback
), t AS (
  INSERT INTO training_log (prompt, completion, status, replay_id)
  SELECT message, $7, $8::training_example_status, id FROM r WHERE feedback = 'no'
  RETURNING id
), let_go AS (
  DELETE FROM replay_reservations WHERE replay_id IN (SELECT id FROM r)
)
SELECT r.id, (SELECT id FROM t) AS training_example_id FROM r`;

export type SubmitResult = { replayId: string; trainingExampleId: string | null; needsCompletion: boolean };

/** An agent closes a pending replay with their final reply and a verdict on the AI's. */
export async function submitReplay({
  input,
  agent,
}: {
  input: SubmitReplayInput;
  agent: { id: string; email: string };
}): Promise<SubmitResult> {
  const usable = isUsableCompletion(input.agentReply);
  const reply = input.agentReply.trim();
  const { rows } = await getPool().query(SUBMIT_SQL, [
    input.replayId,
    reply.length ? reply : null,
    input.feedback,
    agent.id,
    agent.email,
    input.submissionId,
    usable ? reply : "",
    usable ? "ready" : "needs_completion",
  ]);
  const row = rows[0];
  if (row) {
    scheduleGrouping();
    return {
      replayId: row.id,
      trainingExampleId: row.training_example_id,
      needsCompletion: input.feedback === "no" && !usable,
    };
  }

  // Nothing updated: either this very submit already landed (a retry), or the replay is gone/closed.
  const previous = await getPool().query(
    `SELECT r.submission_id, r.status AS replay_status, t.id AS training_example_id, t.status, u.name AS holder
     FROM feedback_replay_log r LEFT JOIN training_log t ON t.replay_id = r.id
       LEFT JOIN replay_reservations v ON v.replay_id = r.id AND v.agent_id <> $2 AND v.expires_at > now()
       LEFT JOIN users u ON u.id = v.agent_id
     WHERE r.id = $1`,
    [input.replayId, agent.id],
  );
  const before = previous.rows[0];
  if (before && before.submission_id === input.submissionId) {
    return {
      replayId: input.replayId,
      trainingExampleId: before.training_example_id,
      needsCompletion: before.status === "needs_completion",
    };
  }
  if (before?.replay_status === "pending" && before.holder) {
    throw new UserError({
      code: "reserved",
      status: 409,
      message: `${before.holder} is on this replay, so it was not submitted. Your reply is kept in this browser; move on to the next one, or submit once they let go.`,
    });
  }
  throw new UserError({
    code: before ? "already_submitted" : "not_found",
    status: before ? 409 : 404,
    message: before
      ? "Someone already submitted feedback for this replay. Your reply is kept in this browser; move on to the next one."
      : "This replay no longer exists.",
  });
}
