import type { TestProject } from "vitest/node";
import { startEmbeddedDatabase } from "@/lib/db/embedded";
import { runMigrations } from "@/lib/db/migrate";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

/**
 * One real PostgreSQL for the run: TEST_DATABASE_URL when set, otherwise an embedded server in
 * .data/test. Tests make their own rows (unique ids), so they share it and may run in parallel.
 */
export default async function setup(project: TestProject) {
  const fromEnv = process.env.TEST_DATABASE_URL;
  const embedded = fromEnv ? undefined : await startEmbeddedDatabase({ dataDir: ".data/test/postgres", database: "feedback_replay_test" });
  const url = fromEnv ?? embedded!.url;
  await runMigrations(url);
  project.provide("databaseUrl", url);
  return async () => {
    await embedded?.stop();
  };
}
