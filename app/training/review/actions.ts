"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { toErrorBody } from "@/lib/errors";
import { isUsableCompletion } from "@/lib/feedback/completion-quality";
import { editCompletion } from "@/lib/training/edit-completion";
import { getExampleDetail, type ExampleDetail } from "@/lib/training/get-example-detail";
import { mergeExamples } from "@/lib/training/merge-examples";
import { reviewExamples } from "@/lib/training/review-examples";
import { editCompletionSchema, mergeExamplesSchema, reviewDecisionSchema } from "@/lib/training/schemas";

type Failure = { ok: false; code: string; message: string };
export type ActionResult = { ok: true; changed: number; skipped: number } | Failure;

function failure(error: unknown, context: string): Failure {
  const { code, message } = toErrorBody(error, context).body.error;
  return { ok: false, code, message };
}

function invalid(error: z.ZodError): Failure {
  return { ok: false, code: "invalid_request", message: error.issues[0]?.message ?? "Invalid request." };
}

/** Approve, reject or reopen the selected examples (hundreds at once). Managers only. */
export async function reviewExamplesAction(raw: unknown): Promise<ActionResult> {
  try {
    const user = await requireUser("manager");
    const parsed = reviewDecisionSchema.safeParse(raw);
    if (!parsed.success) return invalid(parsed.error);
    const result = await reviewExamples({ ...parsed.data, reviewerId: user.id });
    revalidatePath("/training", "layout");
    return { ok: true, changed: result.changed.length, skipped: result.skipped };
  } catch (error) {
    return failure(error, "reviewExamplesAction");
  }
}

/** Rewrite the completion (the agent's original is kept); the example is approved. */
export async function editCompletionAction(raw: unknown): Promise<ActionResult> {
  try {
    const user = await requireUser("manager");
    const parsed = editCompletionSchema.safeParse(raw);
    if (!parsed.success) return invalid(parsed.error);
    if (!isUsableCompletion(parsed.data.completion)) return { ok: false, code: "invalid_request", message: "That looks like a placeholder. Write the reply the AI should have given." };
    await editCompletion({ ...parsed.data, reviewerId: user.id });
    revalidatePath("/training", "layout");
    return { ok: true, changed: 1, skipped: 0 };
  } catch (error) {
    return failure(error, "editCompletionAction");
  }
}

/** Merge the selected duplicates into the example to keep. */
export async function mergeExamplesAction(raw: unknown): Promise<ActionResult> {
  try {
    const user = await requireUser("manager");
    const parsed = mergeExamplesSchema.safeParse(raw);
    if (!parsed.success) return invalid(parsed.error);
    const result = await mergeExamples({ ...parsed.data, reviewerId: user.id });
    revalidatePath("/training", "layout");
    return { ok: true, changed: result.changed.length, skipped: result.skipped };
  } catch (error) {
    return failure(error, "mergeExamplesAction");
  }
}

/** History, datasets and conflicting answers of one example, for the side panel. */
export async function exampleDetailAction(raw: unknown): Promise<{ ok: true; detail: ExampleDetail } | Failure> {
  try {
    await requireUser("manager");
    const id = z.uuid().safeParse(raw);
    if (!id.success) return invalid(id.error);
    return { ok: true, detail: await getExampleDetail(id.data) };
  } catch (error) {
    return failure(error, "exampleDetailAction");
  }
}
