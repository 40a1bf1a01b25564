import "server-only";
import { asc, desc, sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { users } from "@/lib/db/schema";

/** Everyone who has signed in (or was seeded), admins first, for the admin's users page. */
export async function listUsers() {
  return getDb()
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, createdAt: users.createdAt, lastSignInAt: users.lastSignInAt })
    .from(users)
    .orderBy(sql`CASE ${users.role} WHEN 'admin' THEN 0 WHEN 'manager' THEN 1 ELSE 2 END`, desc(users.lastSignInAt), asc(users.email))
    .limit(1000);
}
