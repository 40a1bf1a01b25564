"use server";

import { scheduleFailureAnalysis } from "@/lib/ai/schedule-failure-analysis";
import { requireUser } from "@/lib/auth/session";
import { toErrorBody } from "@/lib/errors";
import { submitReplaySchema } from "@/lib/feedback/schemas";
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
