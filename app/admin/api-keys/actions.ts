"use server";

import { z } from "zod";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { revokeApiKey } from "@/lib/api-keys/revoke-api-key";
import { createApiKeySchema } from "@/lib/api-keys/schemas";
import { readRequestIp } from "@/lib/auth/request-ip";
import { requireUser } from "@/lib/auth/session";
import { toErrorBody, UserError } from "@/lib/errors";

type Failure = { ok: false; code: string; message: string; fieldErrors?: Record<string, string> };

export type CreateApiKeyResult = { ok: true; key: string; prefix: string; scopes: string[] } | Failure;
export type RevokeApiKeyResult = { ok: true; prefix: string } | Failure;

const revokeSchema = z.strictObject({ id: z.uuid("id must be a key id") });

function failure(error: unknown, context: string): Failure {
  const { body } = toErrorBody(error, context);
  return { ok: false, code: body.error.code, message: body.error.message };
}

/** Admins only. The key is in the result once and never again: only its hash is stored. */
export async function createApiKeyAction(raw: unknown): Promise<CreateApiKeyResult> {
  try {
    const user = await requireUser("admin");
    const parsed = createApiKeySchema.strict().safeParse(raw);
    if (!parsed.success) {
      const fieldErrors = Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0] ?? "form"), i.message]));
      return { ok: false, code: "invalid_request", message: "Check the highlighted fields.", fieldErrors };
    }
    const created = await createApiKey({ ...parsed.data, actor: { type: "user", id: user.id, email: user.email }, ip: await readRequestIp() });
    return { ok: true, key: created.key, prefix: created.prefix, scopes: created.scopes };
  } catch (error) {
    return failure(error, "createApiKeyAction");
  }
}

/** Admins only. Revoking twice is refused with a clear message, not an error. */
export async function revokeApiKeyAction(raw: unknown): Promise<RevokeApiKeyResult> {
  try {
    const user = await requireUser("admin");
    const parsed = revokeSchema.safeParse(raw);
    if (!parsed.success) throw new UserError({ code: "invalid_request", message: "Pick a key to revoke." });
    const revoked = await revokeApiKey(parsed.data.id, { actor: { type: "user", id: user.id, email: user.email }, ip: await readRequestIp() });
    if (!revoked) throw new UserError({ code: "not_found", status: 404, message: "That key is already revoked or does not exist." });
    return { ok: true, prefix: revoked.prefix };
  } catch (error) {
    return failure(error, "revokeApiKeyAction");
  }
}
