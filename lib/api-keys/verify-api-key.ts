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

type KeyRow = { id: string; name: string; key_hash: string; scopes: string[]; stale: boolean };

// The helpdesk path's short cache of key rows (by prefix), and when this process last recorded a
// key's use. Only callers that re-check the key where they write may use it (see verifyApiKey).
const cachedRows = new Map<string, { row: KeyRow; until: number }>();
const touched = new Map<string, number>();

async function lookUp(prefix: string, cacheMs: number): Promise<KeyRow | undefined> {
  const cached = cacheMs > 0 ? cachedRows.get(prefix) : undefined;
  if (cached && cached.until > Date.now()) return cached.row;
  const { rows } = await getPool().query(
    `SELECT id, name, key_hash, scopes, last_used_at < now() - interval '1 minute' OR last_used_at IS NULL AS stale
     FROM api_keys WHERE prefix = $1 AND revoked_at IS NULL`,
    [prefix],
  );
  const row = rows[0] as KeyRow | undefined;
  if (row && cacheMs > 0) {
    if (cachedRows.size > 1_000) cachedRows.clear();
    cachedRows.set(prefix, { row, until: Date.now() + cacheMs });
  }
  return row;
}

/**
 * Resolves `Authorization: Bearer <key>`. Looked up by prefix, then the hashes are compared in
 * constant time; revoked keys are refused (401), keys without the scope get 403.
 *
 * `cacheMs` lets a hot path skip the lookup for a key seen in the last few seconds. The hash is
 * still compared on every request, but a revocation reaches this process only when the entry
 * expires, so a caller that passes it must re-check `revoked_at` in the statement that writes
 * (the helpdesk ingest does, in the same statement as the insert).
 */
export async function verifyApiKey(authorization: string | null, scope: ApiScope, { cacheMs = 0 }: { cacheMs?: number } = {}): Promise<ApiKeyCheck> {
  const key = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
  const prefix = key ? KEY_SHAPE.exec(key)?.[1] : undefined;
  if (!key || !prefix) return UNAUTHORIZED;

  const row = await lookUp(prefix, cacheMs);
  const given = Buffer.from(hashApiKey(key), "hex");
  const stored = Buffer.from(row?.key_hash ?? "", "hex");
  if (!row || given.length !== stored.length || !timingSafeEqual(given, stored)) return UNAUTHORIZED;

  // Recorded at most once a minute per key and process, off the request's path.
  const now = Date.now();
  if (row.stale && (touched.get(row.id) ?? 0) < now - 60_000) {
    touched.set(row.id, now);
    getPool()
      .query("UPDATE api_keys SET last_used_at = now() WHERE id = $1", [row.id])
      .catch((error: Error) => console.error("[api-keys] last_used_at:", error.message));
  }
  if (!row.scopes.includes(scope) && !row.scopes.includes("admin")) {
    return { ok: false, status: 403, message: `This API key lacks the "${scope}" scope.` };
  }
  return { ok: true, caller: { id: row.id, name: row.name, scopes: row.scopes } };
}
