"use server";

import { revalidatePath } from "next/cache";
import { correctFailureCategory } from "@/lib/ai/correct-failure-category";
import { runFailureAnalysis } from "@/lib/ai/run-failure-analysis";
import { correctCategorySchema, replayIdSchema } from "@/lib/ai/schemas";
import { requireUser } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { toErrorBody } from "@/lib/errors";

export type HistoryActionResult = { ok: true; message?: string } | { ok: false; message: string };

/** An agent corrects the self-critique's category (own replays; managers: anyone's). */
export async function correctCategoryAction(raw: unknown): Promise<HistoryActionResult> {
  try {
    const user = await requireUser("agent");
    const parsed = correctCategorySchema.safeParse(raw);
    if (!parsed.success) return { ok: false, message: "Pick one of the listed categories." };
    await correctFailureCategory({ ...parsed.data, user });
    revalidatePath("/history");
    return { ok: true };
  } catch (error) {
    return { ok: false, message: toErrorBody(error, "correctCategoryAction").body.error.message };
  }
}

/** Runs a pending or failed analysis now, while the agent waits (the model's timeout applies). */
export async function retryAnalysisAction(raw: unknown): Promise<HistoryActionResult> {
  try {
    const user = await requireUser("agent");
    const replayId = replayIdSchema.safeParse((raw as { replayId?: unknown } | null)?.replayId);
    if (!replayId.success) return { ok: false, message: "This is not a replay id." };
    const outcome = await runFailureAnalysis({ replayId: replayId.data, ownerId: hasRole(user.role, "manager") ? undefined : user.id });
    revalidatePath("/history");
    if (outcome === "skipped") return { ok: true, message: "Nothing to retry: the analysis is already done or running." };
    return outcome === "done" ? { ok: true } : { ok: false, message: "The analysis failed again; the reason is shown below." };
  } catch (error) {
    return { ok: false, message: toErrorBody(error, "retryAnalysisAction").body.error.message };
  }
}
