"use server";

import { scheduleFailureAnalysis } from "@/lib/ai/schedule-failure-analysis";
import { requireUser } from "@/lib/auth/session";
import { toErrorBody } from "@/lib/errors";
import { readEnv } from "@/lib/env";
import { releaseReplay } from "@/lib/feedback/release-replay";
import { reserveReplay, type Reservation } from "@/lib/feedback/reserve-replay";
import { replayReservationSchema, submitReplaySchema } from "@/lib/feedback/schemas";
import { submitReplay } from "@/lib/feedback/submit-replay";

export type SubmitFeedbackResult =
  | { ok: true; replayId: string; trainingExampleId: string | null; needsCompletion: boolean }
  | { ok: false; code: string; message: string; fieldErrors?: Record<string, string> };

/** The agent's "Submit Feedback". Safe to retry: the client sends the same submissionId. */
export async function submitFeedbackAction(raw: unknown): Promise<SubmitFeedbackResult> {
  try {
    const user = await requireUser("agent");
    const parsed = submitReplaySchema.safeParse(raw);
    if (!parsed.success) {
      const fieldErrors = Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0] ?? "form"), i.message]));
      return { ok: false, code: "invalid_request", message: "Check the highlighted fields.", fieldErrors };
    }
    const result = await submitReplay({ input: parsed.data, agent: { id: user.id, email: user.email } });
    // The self-critique runs after the response; its pending row was written with the verdict.
    if (parsed.data.feedback === "no") scheduleFailureAnalysis(result.replayId);
    return { ok: true, ...result };
  } catch (error) {
    const { body } = toErrorBody(error, "submitFeedbackAction");
    return { ok: false, code: body.error.code, message: body.error.message };
  }
}

export type ReservationResult = ({ ok: true } & Reservation) | { ok: false; code: string; message: string };

/**
 * Opening (and keeping open) a replay in the view: it is the agent's for REPLAY_RESERVATION_SECONDS,
 * or the answer names the agent who has it. Taking one lets go of the agent's other replays.
 */
export async function reserveReplayAction(raw: unknown): Promise<ReservationResult> {
  try {
    const user = await requireUser("agent");
    const parsed = replayReservationSchema.safeParse(raw);
    if (!parsed.success) return { ok: false, code: "invalid_request", message: "This is not a replay id." };
    return { ok: true, ...(await reserveReplay({ replayId: parsed.data.replayId, agentId: user.id, seconds: readEnv().REPLAY_RESERVATION_SECONDS })) };
  } catch (error) {
    const { body } = toErrorBody(error, "reserveReplayAction");
    return { ok: false, code: body.error.code, message: body.error.message };
  }
}

/** "Let go": the replay goes back to the queue for everyone. Only the holder's own hold is removed. */
export async function releaseReplayAction(raw: unknown): Promise<{ ok: true; released: boolean } | { ok: false; code: string; message: string }> {
  try {
    const user = await requireUser("agent");
    const parsed = replayReservationSchema.safeParse(raw);
    if (!parsed.success) return { ok: false, code: "invalid_request", message: "This is not a replay id." };
    return { ok: true, released: await releaseReplay({ replayId: parsed.data.replayId, agentId: user.id }) };
  } catch (error) {
    const { body } = toErrorBody(error, "releaseReplayAction");
    return { ok: false, code: body.error.code, message: body.error.message };
  }
}
