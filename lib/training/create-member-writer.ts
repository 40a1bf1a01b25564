import "server-only";
import type pg from "pg";

/** Members per dataset_chunks row: ~200 KB of ids, a hundred rows for a million examples. */
export const MEMBERS_PER_CHUNK = 10_000;

const UUID_OID = 2950;
const BOOL_OID = 16;
const ARRAY_HEADER = 20;

// One-dimensional arrays in PostgreSQL's binary format (array_recv): sent as Buffer parameters,
// which node-postgres passes in binary, so the server parses no text.
function arrayHeader(bytes: Buffer, elementOid: number, count: number) {
  bytes.writeInt32BE(1, 0); // dimensions
  bytes.writeInt32BE(0, 4); // no NULLs
  bytes.writeInt32BE(elementOid, 8);
  bytes.writeInt32BE(count, 12);
  bytes.writeInt32BE(1, 16); // lower bound
}

/**
 * Records a snapshot's members (which examples, in file order, on which side of the split) as
 * dataset_chunks rows of `perChunk` (MEMBERS_PER_CHUNK), written through `client` (in the caller's
 * transaction) while the file streams. One INSERT is in flight at a time; `flush()` sends what is
 * full, `finish()` the rest. Each chunk also keeps the span of its examples' created_at, which
 * lets the lineage query (example → datasets) skip the chunks that cannot hold an example.
 */
export function createMemberWriter({ client, datasetId, perChunk = MEMBERS_PER_CHUNK }: { client: pg.ClientBase; datasetId: string; perChunk?: number }) {
  let ids = Buffer.allocUnsafe(ARRAY_HEADER + perChunk * 20);
  let sides = Buffer.allocUnsafe(ARRAY_HEADER + perChunk * 5);
  let count = 0;
  let firstOrdinal = 1;
  let members = 0;
  // created_at as binary timestamptz (int64 µs since 2000) and as a number to compare
  let oldest = Buffer.alloc(8);
  let newest = Buffer.alloc(8);
  let oldestValue = Infinity;
  let newestValue = -Infinity;
  const full: unknown[][] = [];
  let inFlight: Promise<unknown> | null = null;

  const seal = () => {
    if (count === 0) return;
    arrayHeader(ids, UUID_OID, count);
    arrayHeader(sides, BOOL_OID, count);
    full.push([datasetId, firstOrdinal, ids.subarray(0, ARRAY_HEADER + count * 20), sides.subarray(0, ARRAY_HEADER + count * 5), oldest, newest]);
    // Fresh buffers: node-postgres serialises the parameters only when the INSERT is sent.
    ids = Buffer.allocUnsafe(ARRAY_HEADER + perChunk * 20);
    sides = Buffer.allocUnsafe(ARRAY_HEADER + perChunk * 5);
    oldest = Buffer.alloc(8);
    newest = Buffer.alloc(8);
    oldestValue = Infinity;
    newestValue = -Infinity;
    firstOrdinal += count;
    count = 0;
  };

  const send = async () => {
    while (full.length > 0) {
      await inFlight;
      inFlight = client.query(
        `INSERT INTO dataset_chunks (dataset_id, first_ordinal, example_ids, validation, oldest_created_at, newest_created_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        full.shift(),
      );
      // Seen by the next send() or by finish(); until then an error must not count as unhandled.
      inFlight.catch(() => {});
    }
  };

  return {
    /** The next member: its id (16 bytes) and created_at (8 bytes, binary COPY's formats). */
    add(data: Buffer, idStart: number, validation: boolean, createdAtStart: number): void {
      // Byte by byte: a million Buffer.copy/write calls of a few bytes each cost more than the rest.
      let o = ARRAY_HEADER + count * 20;
      ids[o] = 0;
      ids[o + 1] = 0;
      ids[o + 2] = 0;
      ids[o + 3] = 16; // element length
      for (let i = 0; i < 16; i++) ids[o + 4 + i] = data[idStart + i]!;
      o = ARRAY_HEADER + count * 5;
      sides[o] = 0;
      sides[o + 1] = 0;
      sides[o + 2] = 0;
      sides[o + 3] = 1;
      sides[o + 4] = validation ? 1 : 0;
      const c = createdAtStart;
      const high = (data[c]! << 24) | (data[c + 1]! << 16) | (data[c + 2]! << 8) | data[c + 3]!; // signed
      const low = ((data[c + 4]! << 24) | (data[c + 5]! << 16) | (data[c + 6]! << 8) | data[c + 7]!) >>> 0;
      const createdAt = high * 2 ** 32 + low;
      if (createdAt < oldestValue) {
        oldestValue = createdAt;
        for (let i = 0; i < 8; i++) oldest[i] = data[c + i]!;
      }
      if (createdAt > newestValue) {
        newestValue = createdAt;
        for (let i = 0; i < 8; i++) newest[i] = data[c + i]!;
      }
      count++;
      members++;
      if (count === perChunk) seal();
    },
    /** Sends the chunks that are full (waiting for the INSERT before, so memory stays flat). */
    flush: send,
    /** True when flush() has something to send. */
    get ready(): boolean {
      return full.length > 0;
    },
    /** Sends the last chunk and waits for every INSERT; returns the number of members. */
    async finish(): Promise<number> {
      seal();
      await send();
      await inFlight;
      return members;
    },
  };
}
