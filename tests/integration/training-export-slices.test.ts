import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/client";
import { exportJsonl } from "@/lib/training/export-jsonl";
import { readTrainingSettings } from "@/lib/training/read-training-settings";
import { useOwnDatabase } from "../support/own-database";

// Every example of this database is this file's: how many are still unprepared is its own count.
useOwnDatabase("expslice");

const word = () => [...randomBytes(8)].map((b) => String.fromCharCode(97 + (b % 26))).join("");

/**
 * Approved examples, none prepared yet (as after a change of settings, or a bulk import), in an
 * order with every edge the export's ranges have: ties on created_at (broken by id), exact
 * duplicates (the first is kept), misses still waiting for a completion, and rows without
 * created_at (last).
 */
async function storeUnpreparedExamples() {
  const rows: { prompt: string; completion: string; at: string | null }[] = [];
  const base = Date.parse("2026-11-02T09:00:00.123456Z");
  for (let i = 0; i < 36; i++) {
    const prompt = `Where is my ${word()} order ${word()}? Jane Roe, card 4111 1111 1111 1111`;
    const completion = `Sorry Jane! Your ${word()} order ships ${word()} today; mail help@shop.example.`;
    // Three at each instant; microseconds kept (created_at as text, not a JS Date).
    const at = new Date(base + Math.floor(i / 3) * 1000).toISOString().replace("Z", `${String(i % 7)}51+00`);
    rows.push({ prompt, completion, at });
    if (i % 5 === 0) rows.push({ prompt, completion, at: new Date(base + 60_000 + i).toISOString() }); // a later exact duplicate
    if (i % 9 === 0) rows.push({ prompt: `Hello ${word()}`, completion: "", at: new Date(base + i * 500).toISOString() });
  }
  rows.push({ prompt: `No date ${word()} here`, completion: `Undated answer ${word()} one.`, at: null });
  rows.push({ prompt: `No date ${word()} either`, completion: `Undated answer ${word()} two.`, at: null });
  await getPool().query(
    `INSERT INTO training_log (id, prompt, completion, status, review_status, reviewed_at, created_at)
     SELECT gen_random_uuid(), p, c, CASE WHEN c = '' THEN 'needs_completion' ELSE 'ready' END::training_example_status, 'approved', now(), a::timestamptz FROM unnest($1::text[], $2::text[], $3::text[]) AS u(p, c, a)`,
    [rows.map((r) => r.prompt), rows.map((r) => r.completion), rows.map((r) => r.at)],
  );
  return rows.length;
}

const unprepared = async () =>
  (await getPool().query("SELECT count(*)::int AS n FROM training_log WHERE prepared_with IS DISTINCT FROM $1", [readTrainingSettings().fingerprint])).rows[0].n as number;

async function datasetFigures(id: string) {
  const { rows } = await getPool().query("SELECT status, example_count, train_count, validation_count, dropped, sha256, bytes FROM datasets WHERE id = $1", [id]);
  return rows[0];
}

describe("a full export of examples not yet prepared", () => {
  it("starts streaming before they are all prepared, and the file is the one preparing all first gives", async () => {
    const total = await storeUnpreparedExamples();
    // Slices of 7 examples, so this export streams in many ranges between slices.
    const sliced = await exportJsonl({ source: "approved", createdVia: "test", preparing: { batchSize: 7, sliceMs: 0 } });
    const first = await sliced.chunks.next();
    expect(first.done).toBe(false);
    // The first lines are out while most examples still wait for redaction and their duplicate keys.
    expect(await unprepared()).toBeGreaterThan(total / 2);
    const parts = [first.value as Buffer];
    for await (const chunk of sliced.chunks) parts.push(chunk);
    const slicedText = Buffer.concat(parts).toString("utf8");
    expect(await unprepared()).toBe(0);

    // The same examples unprepared again, exported the old way: everything prepared in one go
    // (one slice, batches larger than the set), then one COPY.
    await getPool().query("UPDATE training_log SET prepared_with = NULL, clean_prompt = NULL, clean_completion = NULL, dedupe_key = NULL, split_key = NULL, token_count = NULL");
    const whole = await exportJsonl({ source: "approved", createdVia: "test", preparing: { batchSize: 10_000, sliceMs: 60_000 } });
    let wholeText = "";
    for await (const chunk of whole.chunks) wholeText += chunk.toString("utf8");

    expect(slicedText).toBe(wholeText);
    const lines = slicedText.trimEnd().split("\n");
    expect(slicedText).not.toContain("4111"); // redacted
    expect(slicedText).toContain("Undated answer"); // rows without created_at come too, last
    expect(lines.at(-1)).toContain("Undated answer");
    const [a, b] = [await datasetFigures(sliced.dataset.id), await datasetFigures(whole.dataset.id)];
    expect(a).toEqual(b);
    expect(a).toMatchObject({ status: "complete", example_count: lines.length, dropped: { duplicate: 8, unusable: 4, tooLong: 0 } });
  });
});
