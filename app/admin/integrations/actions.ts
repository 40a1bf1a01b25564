"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { recordAudit } from "@/lib/audit/record-audit";
import { readRequestIp } from "@/lib/auth/request-ip";
import { requireUser } from "@/lib/auth/session";
import { toErrorBody, UserError } from "@/lib/errors";
import { sendTestEvent } from "@/lib/integrations/send-test-event";
import { INTEGRATION_SOURCES } from "@/lib/integrations/verify-signature";

export type SendTestEventResult = { ok: true; accepted: boolean; message: string } | { ok: false; code: string; message: string };

const schema = z.strictObject({ source: z.enum(INTEGRATION_SOURCES) });

/** Admins only: a signed test event through the integration's own handler. */
export async function sendTestEventAction(raw: unknown): Promise<SendTestEventResult> {
  try {
    const user = await requireUser("admin");
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw new UserError({ code: "invalid_request", message: "Pick an integration." });
    const result = await sendTestEvent(parsed.data.source);
    await recordAudit({
      actor: { type: "user", id: user.id, email: user.email },
      action: "integrations.test_event",
      target: parsed.data.source,
      details: { status: result.status },
      ip: await readRequestIp(),
    });
    revalidatePath("/admin/integrations");
    return { ok: true, accepted: result.accepted, message: result.message };
  } catch (error) {
    const { body } = toErrorBody(error, "sendTestEventAction");
    return { ok: false, code: body.error.code, message: body.error.message };
  }
}
