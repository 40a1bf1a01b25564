import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as exportRoute } from "@/app/api/training/export/route";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { closeDb, getPool, useDatabaseUrl } from "@/lib/db/client";
import { readTrainingSettings } from "@/lib/training/read-training-settings";
import { startFaultDatabase, type FaultDatabase } from "./support/fault-database";

const ROWS = 60_000;
let db: FaultDatabase;
let key: string;

beforeAll(async () => {
  db = await startFaultDatabase("export-stream");
  useDatabaseUrl(db.url);
  key = (await createApiKey({ name: "faults", scopes: ["training:export"] })).key;
  // Approved, prepared examples, as bench/export.ts makes them: enough that the file streams in many chunks.
  await getPool().query(
    `INSERT INTO training_log (prompt, completion, status, review_status, reviewed_at, created_at,
                               clean_prompt, clean_completion, redactions, token_count, dedupe_key, prepared_with)
     SELECT p, c, 'ready', 'approved', now(), now() - (i || ' seconds')::interval, p, c, '{}'::jsonb, 110, md5(i::text), $2
     FROM (SELECT i, 'Where is my order ' || i || '? It still says label created. ' || md5(i::text) AS p,
                  'It left our warehouse this morning; the scan can take a day to appear. Reference ' || md5(i::text) || repeat(' Thanks!', 20) AS c
           FROM generate_series(1, $1) AS i) g`,
    [ROWS, readTrainingSettings().fingerprint],
  );
});

afterAll(async () => {
  await closeDb();
  await db?.close();
});

const exportRequest = (query = "") => new Request(`http://localhost/api/training/export${query}`, { headers: { authorization: `Bearer ${key}` } });

async function datasetStatus(id: string) {
  return (await db.query<{ status: string; example_count: number; sha256: string | null }>("SELECT status, example_count, sha256 FROM datasets WHERE id = $1", [id]))[0];
}

describe("the database is lost during an export stream", () => {
  it("the stream fails rather than ending as if complete, the snapshot is not complete, and the next export completes", async () => {
    const response = await exportRoute(exportRequest());
    expect(response.status).toBe(200);
    const id = response.headers.get("x-dataset-id")!;
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    await db.kill9();

    let lines = new TextDecoder().decode(first.value).split("\n").length - 1;
    const outcome = await (async () => {
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) return "ended";
        lines += new TextDecoder().decode(chunk.value).split("\n").length - 1;
      }
    })().catch(() => "failed");
    expect(outcome).toBe("failed");
    expect(lines).toBeLessThan(ROWS);

    await db.start();
    expect((await datasetStatus(id))?.status).not.toBe("complete");
    // Its file cannot be downloaded as if it were whole.
    const again = await exportRoute(exportRequest(`?dataset=${id}`));
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe("dataset_incomplete");

    // The app's pool recovers on its own; the next export is whole.
    const next = await exportRoute(exportRequest());
    expect(next.status).toBe(200);
    const text = await next.text();
    expect(text.split("\n").filter(Boolean)).toHaveLength(ROWS);
    expect(await datasetStatus(next.headers.get("x-dataset-id")!)).toMatchObject({ status: "complete", example_count: ROWS, sha256: expect.any(String) });
  });
});
