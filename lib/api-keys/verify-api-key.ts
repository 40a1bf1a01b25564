import "server-only";
import { timingSafeEqual } from "node:crypto";
import { getPool } from "@/lib/db/client";
import { hashApiKey } from "@/lib/api-keys/create-api-key";
import type { ApiScope } from "@/lib/api-keys/schemas";

export type ApiCaller = { id: string; name: string; scopes: string[] };

export type ApiKeyCheck =
  | { ok: true; caller: ApiCaller }
  | { ok: false; status: 401 | 403; message: string };

const KEY_SHAPE = /^(frk_[0-9a-f]{12})_[A-Za-z0-9_-]{32}$/;

const UNAUTHORIZED: ApiKeyCheck = {
  ok: false,
  status: 401,
  message: "Send a valid API key as `Authorization: Bearer <key>` (create one with `npm run cli -- api-key create`).",
};

/**
 * Resolves `Authorization: Bearer <key>`. Looked up by prefix, then the hashes are compared in
 * constant time; revoked keys are refused (401), keys without the scope get 403.
 */
export async function verifyApiKey(authorization: string | null, scope: ApiScope): Promise<ApiKeyCheck> {
  const key = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
  const prefix = key ? KEY_SHAPE.exec(key)?.[1] : undefined;
  if (!key || !prefix) return UNAUTHORIZED;

  const { rows } = await getPool().query(
    `SELECT id, name, key_hash, scopes, last_used_at < now() - interval '1 minute' OR last_used_at IS NULL AS stale
     FROM api_keys WHERE prefix = $1 AND revoked_at IS NULL`,
    [prefix],
  );
  const row = rows[0] as { id: string; name: string; key_hash: string; scopes: string[]; stale: boolean } | undefined;
  const given = Buffer.from(hashApiKey(key), "hex");
  const stored = Buffer.from(row?.key_hash ?? "", "hex");
  if (!row || given.length !== stored.length || !timingSafeEqual(given, stored)) return UNAUTHORIZED;

  // Recorded at most once a minute per key, off the request's path.
  if (row.stale) {
    getPool()
      .query("UPDATE api_keys SET last_used_at = now() WHERE id = $1", [row.id])
      .catch((error: Error) => console.error("[api-keys] last_used_at:", error.message));
  }
  if (!row.scopes.includes(scope) && !row.scopes.includes("admin")) {
    return { ok: false, status: 403, message: `This API key lacks the "${scope}" scope.` };
  }
  return { ok: true, caller: { id: row.id, name: row.name, scopes: row.scopes } };
}
