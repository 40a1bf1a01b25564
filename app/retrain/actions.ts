"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { toErrorBody, UserError } from "@/lib/errors";
import { isoWeek } from "@/lib/retrain/iso-week";
import { describeOutcome } from "@/lib/retrain/run-retrain-cli";
import { approveHeldRun, cancelTrainingRun, decideEvaluation, resumeRun, runRetrain } from "@/lib/retrain/run-retrain";
import { recordAzureDeployment } from "@/lib/retrain/record-azure-deployment";
import { saveRetrainSetting } from "@/lib/retrain/save-retrain-setting";
import { azureDeploymentInputSchema, retrainSettingInputSchema } from "@/lib/retrain/schemas";

export type RetrainActionResult = { ok: true; message: string } | { ok: false; code: string; message: string };

const runNowSchema = z.object({ isoWeek: z.string().regex(/^\d{4}-W\d{2}$/, "isoWeek must look like 2026-W48") });
const runIdSchema = z.object({ runId: z.uuid() });
const decisionSchema = z.object({ evaluationId: z.uuid(), decision: z.enum(["promote", "discard", "rollback"]) });

/** The action's input, or a 400 that names the first problem (and lists them all). */
function parseInput<T extends z.ZodType>(schema: T, raw: unknown, fallback: string): z.infer<T> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new UserError({
    code: "invalid_input",
    status: 400,
    message: parsed.error.issues[0]?.message ?? fallback,
    issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
  });
}

async function guarded(context: string, work: () => Promise<string>): Promise<RetrainActionResult> {
  try {
    const message = await work();
    revalidatePath("/retrain");
    return { ok: true, message };
  } catch (error) {
    const { code, message } = toErrorBody(error, context).body.error;
    return { ok: false, code, message };
  }
}

/**
 * "Run now": this week's run, the same job as the cron route and the CLI (once per ISO week).
 * The page sends the week it showed, so a click from a page left open over a weekend runs nothing unexpected.
 */
export async function runRetrainNowAction(raw: unknown): Promise<RetrainActionResult> {
  return guarded("runRetrainNowAction", async () => {
    const user = await requireUser("manager");
    const parsed = runNowSchema.safeParse(raw);
    if (!parsed.success) throw new UserError({ code: "invalid_input", status: 400, message: parsed.error.issues[0]?.message ?? "Send the ISO week to run." });
    if (parsed.data.isoWeek !== isoWeek(new Date())) {
      throw new UserError({ code: "week_changed", status: 409, message: `The week changed since this page loaded (it is ${isoWeek(new Date())} now). Reload the page.` });
    }
    const outcome = await runRetrain({ trigger: "manager", userId: user.id, userEmail: user.email ?? "" });
    return describeOutcome(outcome).join(" ");
  });
}

/** Approve a held dataset: it goes to the fine-tune target now. */
export async function approveRetrainRunAction(raw: unknown): Promise<RetrainActionResult> {
  return guarded("approveRetrainRunAction", async () => {
    const user = await requireUser("manager");
    const parsed = runIdSchema.safeParse(raw);
    if (!parsed.success) throw new UserError({ code: "invalid_input", status: 400, message: "This is not a retrain run id." });
    const run = await approveHeldRun({ runId: parsed.data.runId, userId: user.id, email: user.email ?? "" });
    return run.status === "failed" ? `Approved, but it failed: ${run.error}` : `Approved: ${run.status}.`;
  });
}

/** Promote or discard a candidate, or roll a promotion back to the version active before it. */
export async function decideEvaluationAction(raw: unknown): Promise<RetrainActionResult> {
  return guarded("decideEvaluationAction", async () => {
    const user = await requireUser("manager");
    const parsed = decisionSchema.safeParse(raw);
    if (!parsed.success) throw new UserError({ code: "invalid_input", status: 400, message: "Choose promote, discard or rollback for an evaluation." });
    await decideEvaluation({ ...parsed.data, actor: { type: "user", id: user.id, email: user.email ?? "" } });
    return { promote: "Promoted: it writes new suggestions now.", discard: "Discarded.", rollback: "Rolled back to the previous version." }[parsed.data.decision];
  });
}

/** Retry a failed run (of any week): it resumes where it stopped, without uploading a file twice. */
export async function retryRetrainRunAction(raw: unknown): Promise<RetrainActionResult> {
  return guarded("retryRetrainRunAction", async () => {
    const user = await requireUser("manager");
    const parsed = runIdSchema.safeParse(raw);
    if (!parsed.success) throw new UserError({ code: "invalid_input", status: 400, message: "This is not a retrain run id." });
    const run = await resumeRun({ runId: parsed.data.runId, trigger: "manager", userId: user.id, userEmail: user.email ?? "" });
    if (run === "locked") throw new UserError({ code: "locked", status: 409, message: "This run is being worked on right now. Reload in a minute." });
    return run.status === "failed" ? `Retried, and it failed again: ${run.error}` : `Retried: ${run.status}.`;
  });
}

/** Cancel a job that is training, at its provider; the files stay uploaded for a Retry. */
export async function cancelRetrainRunAction(raw: unknown): Promise<RetrainActionResult> {
  return guarded("cancelRetrainRunAction", async () => {
    const user = await requireUser("manager");
    const parsed = runIdSchema.safeParse(raw);
    if (!parsed.success) throw new UserError({ code: "invalid_input", status: 400, message: "This is not a retrain run id." });
    await cancelTrainingRun({ runId: parsed.data.runId, actor: { type: "user", id: user.id, email: user.email ?? "" } });
    return "Cancelled. Retry starts a new job from the uploaded files.";
  });
}

/**
 * A manager chooses the fine-tune target and training method (and optionally the base model) that
 * the next runs use, over the environment's; or goes back to the configuration. Audited.
 */
export async function saveRetrainSettingAction(raw: unknown): Promise<RetrainActionResult> {
  return guarded("saveRetrainSettingAction", async () => {
    const user = await requireUser("manager");
    const input = parseInput(retrainSettingInputSchema, raw, "Choose a target and a training method.");
    const { message } = await saveRetrainSetting({ input, actor: { type: "user", id: user.id, email: user.email ?? "" } });
    return message;
  });
}

/**
 * Without Azure management credentials a fine-tuned model waits for a manager to deploy it: the
 * manager enters the deployment's name, and the run goes on to evaluation with it. Audited.
 */
export async function recordAzureDeploymentAction(raw: unknown): Promise<RetrainActionResult> {
  return guarded("recordAzureDeploymentAction", async () => {
    const user = await requireUser("manager");
    const input = parseInput(azureDeploymentInputSchema, raw, "Enter the deployment's name.");
    const run = await recordAzureDeployment({ ...input, actor: { type: "user", id: user.id, email: user.email ?? "" } });
    return run.status === "failed" ? `Recorded, but the evaluation failed: ${run.error}` : `Deployment ${input.deploymentName} recorded: ${run.status}.`;
  });
}
