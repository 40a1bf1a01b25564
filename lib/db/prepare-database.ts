import "server-only";
import path from "node:path";
import { useDatabaseUrl } from "@/lib/db/client";
import { startEmbeddedDatabase } from "@/lib/db/embedded";
import { runMigrations } from "@/lib/db/migrate";
import { readEnv } from "@/lib/env";

export type PreparedDatabase = { url: string; embedded: boolean; stop: () => Promise<void> };

/**
 * DATABASE_URL when set (nothing is started); otherwise the embedded server under DATA_DIR,
 * started or joined. Migrations are applied either way.
 */
export async function prepareDatabase({ log = () => {} }: { log?: (line: string) => void } = {}): Promise<PreparedDatabase> {
  const env = readEnv();
  if (env.DATABASE_URL) {
    await runMigrations(env.DATABASE_URL);
    useDatabaseUrl(env.DATABASE_URL);
    return { url: env.DATABASE_URL, embedded: false, stop: async () => {} };
  }
  const embedded = await startEmbeddedDatabase({ dataDir: path.join(env.DATA_DIR, "postgres"), log });
  await runMigrations(embedded.url);
  useDatabaseUrl(embedded.url);
  return { url: embedded.url, embedded: true, stop: embedded.stop };
}
