import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";
import { closeDb, useDatabaseUrl } from "@/lib/db/client";
import { runMigrations } from "@/lib/db/migrate";

async function onShared(sql: string) {
  const client = new pg.Client({ connectionString: inject("databaseUrl") });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}

/**
 * A database of this test file's own on the shared server, migrated, dropped afterwards. For tests
 * of what happens to every pending replay: grouping is global, and the other files' processes
 * group whatever is pending with their own settings (the embeddings tests need theirs).
 * Call at the top level of the file, before hooks that use the database.
 */
export function useOwnDatabase(prefix: string) {
  const database = `${prefix}_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
  beforeAll(async () => {
    await onShared(`CREATE DATABASE ${database}`);
    const url = new URL(inject("databaseUrl"));
    url.pathname = `/${database}`;
    await runMigrations(url.href);
    useDatabaseUrl(url.href);
  });
  afterAll(async () => {
    await closeDb();
    await onShared(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });
}
