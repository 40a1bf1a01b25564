import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { getDb } from "@/lib/db/client";
import { apiKeys } from "@/lib/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import type { AuditActor } from "@/lib/audit/schemas";
import { createApiKeySchema, type ApiScope } from "@/lib/api-keys/schemas";

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/**
 * Creates a key and returns it once; only its SHA-256 is stored (keys carry 192 random bits,
 * so a fast hash is enough). The prefix identifies the key in lists and in lookups. With an
 * `actor` (admin UI, CLI) the creation is audited in the same transaction.
 */
export async function createApiKey(input: { name: string; scopes: ApiScope[]; actor?: AuditActor; ip?: string }) {
  const { name, scopes } = createApiKeySchema.parse(input);
  const prefix = `frk_${randomBytes(6).toString("hex")}`;
  const key = `${prefix}_${randomBytes(24).toString("base64url")}`;
  const row = await getDb().transaction(async (tx) => {
    const [created] = await tx
      .insert(apiKeys)
      .values({ name, prefix, keyHash: hashApiKey(key), scopes: [...new Set(scopes)] })
      .returning({ id: apiKeys.id, prefix: apiKeys.prefix, scopes: apiKeys.scopes });
    if (input.actor) {
      await recordAudit({ actor: input.actor, action: "api_key.create", target: prefix, details: { keyId: created!.id, name, scopes: created!.scopes }, ip: input.ip }, tx);
    }
    return created!;
  });
  return { ...row, key };
}
