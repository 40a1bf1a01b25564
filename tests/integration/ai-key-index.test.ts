import { afterAll, describe, expect, inject, it } from "vitest";
import pg from "pg";
import { findNearestKeys } from "@/lib/ai/find-nearest-keys";
import { findSimilarCorrections } from "@/lib/ai/find-similar-corrections";
import { TrigramIndex } from "@/lib/ai/trigram-index";
import { closeDb, getPool, useDatabaseUrl } from "@/lib/db/client";
import { runMigrations } from "@/lib/db/migrate";
import { storeTrainingExample } from "@/lib/feedback/storage";
import { nonce } from "../support/ai";

const databaseUrl = inject("databaseUrl");

describe("the in-memory key index", () => {
  it("computes the same similarity as pg_trgm", async () => {
    const keys = [
      "order refund", "arriv bottl broken need order sort water weekend", "café crème brûlé", "naïv résumé",
      "x", "ab ab ab", "password reset link expir", "charg statement twice", "zzzz",
    ];
    const index = new TrigramIndex();
    for (const key of keys) index.add(key);
    const { rows } = await getPool().query<{ a: string; b: string; similarity: number }>(
      "SELECT a, b, similarity(a, b) AS similarity FROM unnest($1::text[]) a, unnest($1::text[]) b",
      [keys],
    );
    for (const { a, b, similarity } of rows) {
      const found = index.search(a, { limit: keys.length, minSimilarity: 0 }).find((n) => n.key === b)?.similarity ?? 0;
      expect(found, `${a} ~ ${b}`).toBeCloseTo(similarity, 5);
    }
  });

  it("sees a key whose transaction started before, but committed after, keys it has already seen", async () => {
    const early = `${nonce()} ${nonce()} voucher refused`;
    const late = `${nonce()} ${nonce()} parcel missing`;
    const nearest = async (message: string) => (await findNearestKeys({ message, limit: 1, minSimilarity: 0.9 })).nearest;
    await nearest("warm up"); // the index is loaded
    // Keys written straight into retrieval_keys (as the triggers do), so that the two transactions
    // touch no common row (examples would: the dashboard's rollup).
    const remember = (client: pg.ClientBase | pg.Pool, message: string) =>
      client.query("INSERT INTO retrieval_keys (key) VALUES (retrieval_key($1))", [message]);
    const slow = new pg.Client({ connectionString: databaseUrl });
    await slow.connect();
    try {
      await slow.query("BEGIN");
      await remember(slow, early);
      await remember(getPool(), late); // a younger transaction, committed first
      expect(await nearest(late)).toHaveLength(1);
      expect(await nearest(early)).toEqual([]);
      await slow.query("COMMIT");
    } finally {
      await slow.end();
    }
    expect((await nearest(early))[0]?.similarity).toBe(1);
  });
});

describe("after retrieval_keys is emptied (TRUNCATE)", () => {
  // A database of its own: the shared one must keep its keys for the other tests.
  const name = `feedback_replay_test_keys_${nonce()}`;
  const ownUrl = (() => {
    const url = new URL(databaseUrl);
    url.pathname = `/${name}`;
    return url.toString();
  })();

  afterAll(async () => {
    await closeDb();
    useDatabaseUrl(databaseUrl);
    await getPool().query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });

  it("forgets the old keys and learns the new ones", async () => {
    await getPool().query(`CREATE DATABASE ${name}`);
    await closeDb();
    await runMigrations(ownUrl);
    useDatabaseUrl(ownUrl);
    const message = `${nonce()} ${nonce()} kettle lid broke`;
    await storeTrainingExample({ prompt: message, completion: "Before." });
    expect((await findSimilarCorrections({ message, limit: 1, minSimilarity: 0.5 }))[0]?.reply).toBe("Before.");

    await getPool().query("TRUNCATE training_log, retrieval_keys CASCADE");
    expect((await findNearestKeys({ message, limit: 1, minSimilarity: 0.5 })).nearest).toEqual([]);
    await storeTrainingExample({ prompt: message, completion: "After." });
    expect((await findSimilarCorrections({ message, limit: 1, minSimilarity: 0.5 }))[0]?.reply).toBe("After.");
  });
});
