import "server-only";
import { and, desc, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { auditLog } from "@/lib/db/schema";
import type { AuditQuery } from "@/lib/audit/schemas";

export const AUDIT_PAGE_SIZE = 100;

/**
 * Newest first, a page at a time, optionally by action prefix and actor. The cursor is
 * (created_at, id): entries written in one transaction share their created_at.
 */
export async function listAuditLog(query: AuditQuery) {
  const filters: SQL[] = [];
  if (query.action) filters.push(ilike(auditLog.action, `${query.action.replace(/[%_\\]/g, "\\$&")}%`));
  if (query.actor) filters.push(or(eq(auditLog.actorEmail, query.actor.toLowerCase()), eq(auditLog.actorId, query.actor))!);
  if (query.before) {
    const [at, id] = query.before.split("|");
    filters.push(sql`(${auditLog.createdAt}, ${auditLog.id}) < (${at}::timestamptz, ${id}::uuid)`);
  }
  const rows = await getDb()
    .select({
      id: auditLog.id,
      actorType: auditLog.actorType,
      actorEmail: auditLog.actorEmail,
      action: auditLog.action,
      target: auditLog.target,
      details: auditLog.details,
      ip: auditLog.ip,
      createdAt: auditLog.createdAt,
      cursor: sql<string>`to_char(${auditLog.createdAt} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '|' || ${auditLog.id}`,
    })
    .from(auditLog)
    .where(filters.length ? and(...filters) : undefined)
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(AUDIT_PAGE_SIZE + 1);
  const entries = rows.slice(0, AUDIT_PAGE_SIZE);
  return { entries, nextCursor: rows.length > AUDIT_PAGE_SIZE ? entries.at(-1)!.cursor : null };
}
