const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
const HEADER = 19; // signature, flags, length of the header extension

export type CopyRowHandler = (data: Buffer, fields: Int32Array) => void;

/**
 * PostgreSQL's binary COPY format (`COPY … TO STDOUT (FORMAT binary)`), parsed as it streams.
 * The export reads a million examples this way because turning every row into JavaScript values
 * costs more than the whole export may (pg's row parser: ~3.5 s for a million on our 2-core
 * machine), and the texts can go into the file as the bytes they arrived as.
 *
 * `onRow(data, fields)` is called for every row: field i is `data[fields[2i] … fields[2i] +
 * fields[2i+1]]`, length -1 for NULL. Both are only valid during the call (they are reused).
 * Rows are read where they lie in the pushed chunks; only a row that spans chunks is copied, once
 * its bytes are all there.
 */
export function createCopyBinaryParser(fieldCount: number, onRow: CopyRowHandler) {
  const fields = new Int32Array(fieldCount * 2);
  let headerRead = false;
  let ended = false;
  let rows = 0;
  // The start of a row (or of the header) that the chunks so far did not complete, and how many
  // bytes from its start are needed before it can get further.
  let pending: Buffer[] = [];
  let pendingLength = 0;
  let needed = 0;

  /** Reads what is complete in data[start…end], at most `limit` rows; returns where it stopped and sets `needed`. */
  const parse = (data: Buffer, start: number, end: number, limit: number): number => {
    let position = start;
    if (!headerRead) {
      if (end - position < HEADER) return ((needed = HEADER), position);
      if (!data.subarray(position, position + 11).equals(SIGNATURE)) throw new Error("COPY data is not in PostgreSQL's binary format");
      const size = HEADER + data.readInt32BE(position + 15);
      if (end - position < size) return ((needed = size), position);
      position += size;
      headerRead = true;
    }
    for (let n = 0; n < limit; n++) {
      if (end - position < 2) return ((needed = 2), position);
      const count = data.readInt16BE(position);
      if (count === -1) {
        ended = true;
        return ((needed = 0), position + 2);
      }
      if (count !== fieldCount) throw new Error(`COPY row has ${count} fields, expected ${fieldCount}`);
      let p = position + 2;
      for (let f = 0; f < fieldCount; f++) {
        if (end - p < 4) return ((needed = p + 4 - position), position);
        const length = data.readInt32BE(p);
        p += 4;
        fields[2 * f] = p;
        fields[2 * f + 1] = length;
        if (length > 0) p += length;
        if (p > end) return ((needed = p - position), position);
      }
      onRow(data, fields);
      rows++;
      position = p;
    }
    return ((needed = 0), position);
  };

  return {
    /** The next piece of COPY data (`chunk[start…end]`), as the connection delivers it. */
    push(chunk: Buffer, start = 0, end = chunk.length): void {
      if (ended) {
        if (end > start) throw new Error("COPY data after its trailer");
        return;
      }
      let offset = start;
      // Finish the row begun in earlier chunks, copying only the bytes it needs from this one.
      while (pendingLength > 0) {
        const take = Math.min(Math.max(needed - pendingLength, 0), end - offset);
        pending.push(chunk.subarray(offset, offset + take));
        pendingLength += take;
        offset += take;
        if (pendingLength < needed) return;
        const stitched = Buffer.concat(pending, pendingLength);
        const used = parse(stitched, 0, stitched.length, 1);
        if (used === 0 && needed > pendingLength) {
          pending = [stitched]; // a field length was read: now more is needed
          continue;
        }
        if (used !== stitched.length) throw new Error("COPY row parsed past the bytes it needed");
        pending = [];
        pendingLength = 0;
      }
      if (ended) {
        if (offset < end) throw new Error("COPY data after its trailer");
        return;
      }
      const used = parse(chunk, offset, end, Infinity);
      if (ended && used < end) throw new Error("COPY data after its trailer");
      if (used < end) {
        pending = [chunk.subarray(used, end)];
        pendingLength = end - used;
      }
    },
    /** The stream has ended: throws unless the data was complete (trailer seen, nothing left over). Returns the row count. */
    end(): number {
      if (!ended || pendingLength) throw new Error("COPY data ended in the middle of a row");
      return rows;
    },
  };
}
