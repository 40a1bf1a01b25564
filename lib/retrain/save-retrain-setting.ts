import "server-only";
import { eq } from "drizzle-orm";
import { recordAudit } from "@/lib/audit/record-audit";
import type { AuditActor } from "@/lib/audit/schemas";
import { getDb } from "@/lib/db/client";
import { retrainSettings } from "@/lib/db/schema";
import { readEnv, type Env } from "@/lib/env";
import { UserError } from "@/lib/errors";
import { METHODS_BY_TARGET, TARGET_LABELS } from "@/lib/retrain/fine-tune-target";
import { listTargetReadiness } from "@/lib/retrain/list-target-readiness";
import type { RetrainSettingInput } from "@/lib/retrain/schemas";

const METHOD_NAMES = { sft: "SFT", dpo: "DPO", "sft-dpo": "SFT then DPO" } as const;

/**
 * A manager chooses the fine-tune target and method on /retrain (or goes back to the
 * configuration). Refused when the method is not one the target trains, or when the target's
 * environment variables are not all set (named in the message). The row and its audit entry
 * (`retrain.settings`, no customer text) are written in one transaction.
 */
export async function saveRetrainSetting({ input, actor, env = readEnv() }: { input: RetrainSettingInput; actor: AuditActor; env?: Env }): Promise<{ changed: boolean; message: string }> {
  if (input.use === "configuration") {
    return getDb().transaction(async (tx) => {
      const [previous] = await tx.delete(retrainSettings).where(eq(retrainSettings.id, 1)).returning({ target: retrainSettings.target, method: retrainSettings.method });
      if (!previous) return { changed: false, message: "The configuration is in force already." };
      await recordAudit({ actor, action: "retrain.settings", target: "configuration", details: { use: "configuration", previous } }, tx);
      return { changed: true, message: "Back to the configuration (FINE_TUNE_TARGET, FINE_TUNE_METHOD)." };
    });
  }
  const { target, method, baseModel } = input;
  const label = TARGET_LABELS[target];
  const methods = METHODS_BY_TARGET[target].allowed;
  if (!methods.includes(method)) {
    throw new UserError({
      code: "invalid_method",
      status: 400,
      message: `${label} does not train ${METHOD_NAMES[method]}; choose ${methods.map((m) => METHOD_NAMES[m]).join(" or ")}.`,
      issues: [{ path: "method", message: `${label} trains ${methods.map((m) => METHOD_NAMES[m]).join(", ")}` }],
    });
  }
  const readiness = listTargetReadiness(env).find((t) => t.target === target)!;
  if (!readiness.ready) {
    throw new UserError({
      code: "target_not_configured",
      status: 409,
      message: `${label} is not configured on this server: set ${readiness.missing.join(" and ")} (see the README's recipe for ${label}), then restart.`,
      issues: [{ path: "target", message: `missing ${readiness.missing.join(", ")}` }],
    });
  }
  return getDb().transaction(async (tx) => {
    const [previous] = await tx.select({ target: retrainSettings.target, method: retrainSettings.method, baseModel: retrainSettings.baseModel }).from(retrainSettings).where(eq(retrainSettings.id, 1)).for("update");
    const values = { target, method, baseModel: baseModel ?? null, updatedBy: actor.type === "user" ? actor.id : null, updatedAt: new Date() };
    await tx.insert(retrainSettings).values({ id: 1, ...values }).onConflictDoUpdate({ target: retrainSettings.id, set: values });
    await recordAudit({ actor, action: "retrain.settings", target, details: { use: "page", target, method, baseModel: baseModel ?? null, previous: previous ?? null } }, tx);
    return { changed: true, message: `From the next run on: ${label}, ${METHOD_NAMES[method]}${baseModel ? ` of ${baseModel}` : ""}.` };
  });
}
