"use server";

import { revalidatePath } from "next/cache";
import { activateModelVersion } from "@/lib/ai/activate-model-version";
import { activateModelVersionSchema } from "@/lib/ai/schemas";
import { requireUser } from "@/lib/auth/session";
import { toErrorBody } from "@/lib/errors";

export type ActivateResult = { ok: true; label: string } | { ok: false; code: string; message: string };

/** A manager makes a model version the active one; new suggestions use it at once. */
export async function activateModelVersionAction(raw: unknown): Promise<ActivateResult> {
  try {
    const user = await requireUser("manager");
    const parsed = activateModelVersionSchema.safeParse(raw);
    if (!parsed.success) return { ok: false, code: "invalid_request", message: "This is not a model version id." };
    const version = await activateModelVersion({ id: parsed.data.id, by: "manager", userId: user.id, actor: { type: "user", id: user.id, email: user.email } });
    revalidatePath("/models");
    return { ok: true, label: version.label };
  } catch (error) {
    const { code, message } = toErrorBody(error, "activateModelVersionAction").body.error;
    return { ok: false, code, message };
  }
}
