import "server-only";
import { and, eq, isNull, or } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { apiKeys } from "@/lib/db/schema";

/** Revokes by id or prefix. Returns false when no live key matched (unknown or already revoked). */
export async function revokeApiKey(idOrPrefix: string): Promise<boolean> {
  const isUuid = /^[0-9a-f-]{36}$/i.test(idOrPrefix);
  const rows = await getDb()
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(
      and(
        isNull(apiKeys.revokedAt),
        isUuid ? or(eq(apiKeys.id, idOrPrefix), eq(apiKeys.prefix, idOrPrefix)) : eq(apiKeys.prefix, idOrPrefix),
      ),
    )
    .returning({ id: apiKeys.id });
  return rows.length > 0;
}
