import { describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/client";
import { createCopyBinaryParser } from "@/lib/training/parse-copy-binary";
import { streamCopyOut } from "@/lib/training/stream-copy-out";

/** Rows of (n, text) from a binary COPY, read the way the export reads them. */
async function copyRows(sql: string, { pauseEvery }: { pauseEvery: number }) {
  const client = await getPool().connect();
  const rows: [number, string | null][] = [];
  let release = false;
  try {
    let sincePause = 0;
    const parser = createCopyBinaryParser(2, (data, f) => {
      rows.push([data.readInt32BE(f[0]!), f[3]! < 0 ? null : data.toString("utf8", f[2]!, f[2]! + f[3]!)]);
      sincePause++;
    });
    let yields = 0;
    const full = () => sincePause >= pauseEvery;
    const copy = streamCopyOut({ client, sql, onData: parser.push, full });
    for (let step = await copy.next(); !step.done; step = await copy.next()) {
      yields++;
      sincePause = 0;
    }
    expect(parser.end()).toBe(rows.length);
    // The connection is node-postgres' again, ready for the next query.
    expect((await client.query("SELECT 41 + 1 AS n")).rows[0].n).toBe(42);
    return { rows, yields };
  } catch (error) {
    release = true;
    throw error;
  } finally {
    client.release(release);
  }
}

describe("streamCopyOut", () => {
  it("hands over every row in order, pausing whenever the consumer has enough", async () => {
    const sql = `COPY (SELECT g, CASE WHEN g % 7 = 0 THEN NULL ELSE repeat('é"\\', g % 50) END FROM generate_series(1, 100000) g ORDER BY g) TO STDOUT (FORMAT binary)`;
    const { rows, yields } = await copyRows(sql, { pauseEvery: 1000 });
    expect(rows).toHaveLength(100_000);
    expect(rows.every(([n], i) => n === i + 1)).toBe(true);
    expect(rows[6]).toEqual([7, null]);
    expect(rows[9]).toEqual([10, 'é"\\'.repeat(10)]);
    expect(yields).toBeGreaterThan(50); // paused about every 1,000 rows, not once at the end
  });

  it("throws the database's error when the COPY fails midway, and leaves the connection usable", async () => {
    const sql = `COPY (SELECT g, (100 / (50000 - g))::text FROM generate_series(1, 60000) g) TO STDOUT (FORMAT binary)`;
    const client = await getPool().connect();
    try {
      const parser = createCopyBinaryParser(2, () => {});
      const copy = streamCopyOut({ client, sql, onData: parser.push, full: () => false });
      await expect(
        (async () => {
          for await (const _ of copy) void _;
        })(),
      ).rejects.toThrow(/division by zero/);
      expect((await client.query("SELECT 1 AS one")).rows[0].one).toBe(1);
    } finally {
      client.release();
    }
  });

  it("throws a statement's error before any data", async () => {
    await expect(copyRows("COPY (SELECT nope FROM nowhere) TO STDOUT (FORMAT binary)", { pauseEvery: 10 })).rejects.toThrow(/nowhere/);
  });
});
