import { afterAll, inject } from "vitest";
import { waitForBackgroundAnalyses } from "@/lib/ai/schedule-failure-analysis";
import { closeDb, useDatabaseUrl } from "@/lib/db/client";

useDatabaseUrl(inject("databaseUrl"));

afterAll(async () => {
  await waitForBackgroundAnalyses(); // self-critiques a test's "no" started after its response
  await closeDb();
});
