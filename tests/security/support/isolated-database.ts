import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, inject } from "vitest";
import { closeDb, getPool, useDatabaseUrl } from "@/lib/db/client";
import { runMigrations } from "@/lib/db/migrate";

/**
 * The security suite compares the whole database before and after each refused call, so it needs
 * a database no other test file writes to while it runs: a fresh one on the same server.
 */
export async function useIsolatedDatabase(): Promise<string> {
  const shared = new URL(inject("databaseUrl"));
  const name = `security_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: shared.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const adminUrl = shared.toString();
  shared.pathname = `/${name}`;
  const url = shared.toString();
  await runMigrations(url);
  await closeDb();
  useDatabaseUrl(url);
  afterAll(async () => {
    await closeDb();
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await client.end();
    }
  });
  return url;
}

/** Columns that change on reads by design (last use of a key), not data. */
const VOLATILE = new Set(["api_keys.last_used_at"]);
/** Counting refused attempts is the point of these tables (integration_status: the last refusal and its reason). */
const COUNTERS = new Set(["rate_limit_counters", "integration_status"]);

/**
 * One digest per table over every row (volatile columns left out): any insert, update or delete
 * anywhere changes it. New tables from other issues are covered without listing them.
 */
export async function fingerprintDatabase(): Promise<Record<string, string>> {
  const pool = getPool();
  const { rows: tables } = await pool.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name",
  );
  const result: Record<string, string> = {};
  for (const { table_name: table } of tables) {
    if (COUNTERS.has(table)) continue;
    const drop = [...VOLATILE].filter((c) => c.startsWith(`${table}.`)).map((c) => c.split(".")[1]!);
    const row = drop.length ? `to_jsonb(t) - ${drop.map((c) => `'${c}'`).join(" - ")}` : "to_jsonb(t)";
    const { rows } = await pool.query<{ n: number; digest: string | null }>(
      `SELECT count(*)::int AS n, md5(string_agg((${row})::text, '|' ORDER BY (${row})::text)) AS digest FROM "${table}" t`,
    );
    result[table] = `${rows[0]!.n}:${rows[0]!.digest ?? ""}`;
  }
  return result;
}
