import { inject, it, expect } from "vitest";
import pg from "pg";
import { runMigrations } from "@/lib/db/migrate";

it("migrations are idempotent and safe to run from two instances at once", async () => {
  const url = inject("databaseUrl");
  await Promise.all([runMigrations(url), runMigrations(url)]);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query("SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations");
    const journal = await import("@/drizzle/meta/_journal.json");
    expect(rows[0].n).toBe(journal.entries.length);
  } finally {
    await client.end();
  }
});
