import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedBench } from "@/lib/analytics/seed-bench";
import { closeDb, useDatabaseUrl } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/errors";
import { regroupReplays } from "@/lib/meaning/regroup-replays";
import { startFaultDatabase, type FaultDatabase } from "./support/fault-database";

const REPLAYS = 12_000;
let db: FaultDatabase;

beforeAll(async () => {
  db = await startFaultDatabase("regroup");
  useDatabaseUrl(db.url);
  await seedBench({ replays: REPLAYS, weeks: 4 });
  await regroupReplays(); // the first grouping: generation 2, this engine
});

afterAll(async () => {
  await closeDb();
  await db?.close();
});

const state = async () =>
  (await db.query<{ generation: number; engine: string | null; regrouping: number | null }>("SELECT generation, engine, regrouping FROM meaning_state WHERE id = 1"))[0]!;
const documentsByGeneration = async () =>
  Object.fromEntries((await db.query<{ generation: number; n: number }>("SELECT generation, count(*)::int AS n FROM meaning_documents GROUP BY generation")).map((r) => [r.generation, r.n]));

describe("the database is lost during a regroup", () => {
  it("the half-written generation never becomes the current one, and the next regroup completes", async () => {
    const before = await state();
    expect(before.regrouping).toBeNull();
    const documentsBefore = await documentsByGeneration();
    expect(Object.keys(documentsBefore)).toEqual([String(before.generation)]);

    let killed: Promise<void> | null = null;
    const outcome = await regroupReplays({
      all: true,
      batchSize: 250,
      onProgress: (done) => {
        if (done >= 500) killed ??= db.kill9();
      },
    }).then(
      () => "completed",
      (error: unknown) => (isDatabaseUnavailable(error) ? "database_unavailable" : `other: ${String(error)}`),
    );
    expect(outcome).toBe("database_unavailable");
    await killed;
    await db.start();

    // Readers still use the previous generation, complete; the pages written of the next are not it.
    const after = await state();
    expect(after.generation).toBe(before.generation);
    expect(after.engine).toBe(before.engine);
    expect((await documentsByGeneration())[before.generation]).toBe(documentsBefore[before.generation]);

    // The next regroup (as the next start or `training regroup --all` runs it) completes.
    await closeDb();
    useDatabaseUrl(db.url);
    const done = await regroupReplays({ all: true, batchSize: 2000 });
    expect(done.regrouped).toBe(true);
    const final = await state();
    expect(final).toMatchObject({ generation: before.generation + 1, engine: before.engine, regrouping: null });
    expect(Object.keys(await documentsByGeneration())).toEqual([String(before.generation + 1)]);
    const ungrouped = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM feedback_replay_log WHERE status = 'submitted' AND prompt_group_id IS NULL");
    expect(ungrouped[0]!.n).toBe(0);
  });
});
