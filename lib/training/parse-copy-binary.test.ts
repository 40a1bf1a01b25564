import { describe, expect, it } from "vitest";
import { createCopyBinaryParser } from "@/lib/training/parse-copy-binary";

/** A binary COPY stream of rows whose fields are byte strings or null. */
function copyStream(rows: (Buffer | null)[][], extension = Buffer.alloc(0)): Buffer {
  const parts: Buffer[] = [Buffer.from("PGCOPY\n\xff\r\n\0", "latin1"), Buffer.alloc(4), Buffer.alloc(4)];
  parts[2]!.writeInt32BE(extension.length);
  parts.push(extension);
  for (const row of rows) {
    const count = Buffer.alloc(2);
    count.writeInt16BE(row.length);
    parts.push(count);
    for (const field of row) {
      const length = Buffer.alloc(4);
      length.writeInt32BE(field ? field.length : -1);
      parts.push(length);
      if (field) parts.push(field);
    }
  }
  parts.push(Buffer.from([0xff, 0xff]));
  return Buffer.concat(parts);
}

function parseInPieces(stream: Buffer, fieldCount: number, cuts: number[]) {
  const seen: (string | null)[][] = [];
  const parser = createCopyBinaryParser(fieldCount, (data, f) => {
    seen.push(Array.from({ length: fieldCount }, (_, i) => (f[2 * i + 1]! < 0 ? null : data.toString("utf8", f[2 * i]!, f[2 * i]! + f[2 * i + 1]!))));
  });
  let at = 0;
  for (const cut of [...cuts, stream.length]) {
    parser.push(stream.subarray(at, cut));
    at = cut;
  }
  return { rows: seen, count: parser.end() };
}

describe("createCopyBinaryParser", () => {
  const rows = [
    [Buffer.from("a"), null, Buffer.from("")],
    [Buffer.from("long ".repeat(200)), Buffer.from("é🙂"), null],
    [null, null, null],
  ];
  const expected = rows.map((r) => r.map((f) => (f ? f.toString("utf8") : null)));

  it("reads every row whatever way the stream is cut", () => {
    const stream = copyStream(rows, Buffer.from("ext"));
    expect(parseInPieces(stream, 3, [])).toEqual({ rows: expected, count: 3 });
    for (let cut = 1; cut < stream.length; cut++) expect(parseInPieces(stream, 3, [cut]).rows).toEqual(expected);
    const everyByte = Array.from({ length: stream.length - 1 }, (_, i) => i + 1);
    expect(parseInPieces(stream, 3, everyByte)).toEqual({ rows: expected, count: 3 });
  });

  it("refuses data that is not binary COPY, a wrong field count, and a stream cut short", () => {
    expect(() => parseInPieces(Buffer.from("id\tname\n".repeat(5)), 3, [])).toThrow(/binary format/);
    expect(() => parseInPieces(copyStream(rows), 2, [])).toThrow(/3 fields, expected 2/);
    const stream = copyStream(rows);
    const parser = createCopyBinaryParser(3, () => {});
    parser.push(stream.subarray(0, stream.length - 5));
    expect(() => parser.end()).toThrow(/middle of a row/);
  });
});
