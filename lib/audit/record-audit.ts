import "server-only";
import { getDb, type Database } from "@/lib/db/client";
import { auditLog } from "@/lib/db/schema";
import { auditEntrySchema, type AuditActor, type AuditEntry } from "@/lib/audit/schemas";

function actorColumns(actor: AuditActor) {
  switch (actor.type) {
    case "user":
      return { actorType: "user", actorId: actor.id, actorEmail: actor.email };
    case "api_key":
      return { actorType: "api_key", actorId: actor.id, actorEmail: actor.name ?? null };
    case "anonymous":
      return { actorType: "anonymous", actorId: null, actorEmail: actor.email ?? null };
    default:
      return { actorType: actor.type, actorId: null, actorEmail: null };
  }
}

/**
 * Appends one audit entry: who (`actor`), what (`action`, `target`), details, from where (`ip`);
 * the time is the database's. Pass `db` (a transaction) to record it atomically with the change it
 * describes. Details must not contain customer text: this table is kept longer than the data.
 *
 *   await recordAudit({ actor: { type: "user", id: user.id, email: user.email }, action: "training.export", details: { lines } });
 */
export async function recordAudit(entry: AuditEntry, db: Pick<Database, "insert"> = getDb()): Promise<void> {
  const { actor, action, target, details, ip } = auditEntrySchema.parse(entry);
  await db.insert(auditLog).values({ ...actorColumns(actor), action, target: target ?? null, details: details ?? {}, ip: ip ?? null });
}
