import "server-only";
import { getDb } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Role } from "@/lib/auth/roles";
import { sql } from "drizzle-orm";

type SsoUser = { email: string; name: string; role: Role };

/**
 * Upserts the user on every SSO sign-in: name and role follow the identity provider (the claim
 * mapping is the only source of roles under SSO), last_sign_in_at is now. Audits the sign-in,
 * and a role change when the mapping gave a different role than last time.
 */
export async function recordSsoSignIn({ user, provider, matched, ip }: { user: SsoUser; provider: string; matched: string[]; ip?: string }) {
  const db = getDb();
  return db.transaction(async (tx) => {
    const { rows } = await tx.execute<{ id: string; role: Role; previous_role: Role | null }>(sql`
      WITH previous AS (SELECT role FROM users WHERE email = ${user.email})
      INSERT INTO users (email, name, role, last_sign_in_at) VALUES (${user.email}, ${user.name}, ${user.role}, now())
      ON CONFLICT (email) DO UPDATE SET name = excluded.name, role = excluded.role, last_sign_in_at = excluded.last_sign_in_at
      RETURNING id, role, (SELECT role FROM previous) AS previous_role`);
    const row = rows[0]!;
    const actor = { type: "user" as const, id: row.id, email: user.email };
    await recordAudit({ actor, action: "auth.sign_in", target: user.email, details: { provider, role: row.role, firstSignIn: row.previous_role === null, matched }, ip }, tx);
    if (row.previous_role && row.previous_role !== row.role) {
      await recordAudit({ actor, action: "user.role_change", target: user.email, details: { from: row.previous_role, to: row.role, source: provider, matched }, ip }, tx);
    }
    return { id: row.id, role: row.role };
  });
}
