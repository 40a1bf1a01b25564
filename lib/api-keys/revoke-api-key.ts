import "server-only";
import { and, eq, isNull, or } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { apiKeys } from "@/lib/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import type { AuditActor } from "@/lib/audit/schemas";

/**
 * Revokes by id or prefix. Returns the revoked key, or null when no live key matched (unknown
 * or already revoked). With an `actor` the revocation is audited in the same transaction.
 */
export async function revokeApiKey(idOrPrefix: string, audit?: { actor: AuditActor; ip?: string }) {
  const isUuid = /^[0-9a-f-]{36}$/i.test(idOrPrefix);
  return getDb().transaction(async (tx) => {
    const [row] = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(
        and(
          isNull(apiKeys.revokedAt),
          isUuid ? or(eq(apiKeys.id, idOrPrefix), eq(apiKeys.prefix, idOrPrefix)) : eq(apiKeys.prefix, idOrPrefix),
        ),
      )
      .returning({ id: apiKeys.id, prefix: apiKeys.prefix, name: apiKeys.name });
    if (row && audit) {
      await recordAudit({ actor: audit.actor, action: "api_key.revoke", target: row.prefix, details: { keyId: row.id, name: row.name }, ip: audit.ip }, tx);
    }
    return row ?? null;
  });
}
