import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import RetrainPage from "@/app/retrain/page";
import { closeDb, getPool, useDatabaseUrl } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/env";
import { createUser } from "../support/factories";
import { startFakeFineTuningServer } from "../support/fake-openai-fine-tuning";
import { useOwnDatabase } from "../support/own-database";
import { withRequestHeaders } from "../security/support/request-scope";
import { sessionCookie } from "../security/support/sessions";
import { useSessionEnv } from "../support/session-env";

vi.mock("next/headers", async () => (await import("../security/support/session-seam")).nextHeaders);
vi.mock("next-auth", async (original) => (await import("../security/support/session-seam")).withRequestSession(await original()));
// Work a page defers with after() runs, as Next.js runs it once the response is sent.
const deferred: Promise<unknown>[] = [];
vi.mock("next/server", async (original) => ({ ...(await original<Record<string, unknown>>()), after: (work: () => Promise<unknown>) => void deferred.push(Promise.resolve().then(work)) }));

/**
 * Viewing /retrain used to poll the fine-tune provider and resume interrupted runs (writes).
 * Polling belongs to the scheduled job (GET /api/cron/fine-tunes). Its own database: the runs
 * below would otherwise be polled and resumed by other files' tests.
 */
useOwnDatabase("retrain_page");

const SECRET = useSessionEnv();

describe("viewing /retrain only reads", () => {
  it("makes no call to the fine-tune provider and no write, even with a job training and a run interrupted", async () => {
    const fake = await startFakeFineTuningServer();
    try {
      vi.stubEnv("AI_PROVIDER", "openai");
      vi.stubEnv("OPENAI_BASE_URL", fake.baseURL);
      vi.stubEnv("OPENAI_API_KEY", "sk-test");
      resetEnvCache();
      const user = await createUser("manager");
      const cookie = await sessionCookie({ id: user.id, email: user.email, name: user.name ?? "Test", role: "manager" }, SECRET);
      // What a poll would act on: a job in training, and an upload whose process died an hour ago.
      const { rows } = await getPool().query(
        `INSERT INTO retrain_runs (iso_week, status, mode, target, trigger, fine_tune_job_id, updated_at)
         VALUES ($1, 'training', 'upload', 'openai', 'cron', $3, now() - interval '1 hour'),
                ($2, 'uploading', 'upload', 'openai', 'cron', NULL, now() - interval '1 hour')
         RETURNING id, status, updated_at, events`,
        ["2026-W01", "2026-W02", `ftjob-${randomUUID()}`],
      );
      // The page renders on a connection that refuses every write: any INSERT/UPDATE fails it.
      const ownUrl = (getPool() as unknown as { options: { connectionString: string } }).options.connectionString;
      const url = new URL(ownUrl);
      url.searchParams.set("options", "-c default_transaction_read_only=on");
      await closeDb();
      useDatabaseUrl(url.href);
      try {
        const page = await withRequestHeaders(new Headers({ cookie }), () => RetrainPage());
        expect(page).toBeTruthy();
        await Promise.allSettled(deferred);
      } finally {
        await closeDb();
        useDatabaseUrl(ownUrl);
      }
      expect(fake.requests).toEqual([]);
      const after = await getPool().query("SELECT id, status, updated_at, events FROM retrain_runs WHERE id = ANY($1::uuid[]) ORDER BY id", [rows.map((r) => r.id)]);
      expect(after.rows).toEqual([...rows].sort((a, b) => a.id.localeCompare(b.id)));
    } finally {
      await fake.close();
    }
  });
});
