/**
 * Streaming readers for a history file: bytes in, one record at a time out, each with the number
 * of the line it starts on and the byte offset just past it (a resume point). Nothing is buffered
 * beyond the current record. A record that cannot be read is passed on as an Error, never thrown.
 */
export type EmitRecord = (line: number, endOffset: number, record: Record<string, unknown> | Error) => void;

export type RecordReader = { push(chunk: Buffer, emit: EmitRecord): void; end(emit: EmitRecord): void };

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
const NEWLINE = 0x0a;
export const MAX_RECORD_BYTES = 1024 * 1024;

function decode(bytes: Buffer): string | Error {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return new Error("is not valid UTF-8");
  }
}

/** JSON Lines: one JSON object per line; blank lines are skipped. */
export function createJsonlReader({ firstLine = 1, offset = 0 }: { firstLine?: number; offset?: number } = {}): RecordReader {
  let rest: Buffer = Buffer.alloc(0);
  let line = firstLine;
  let position = offset;
  // A line past the limit: reported once, then skipped up to its newline.
  let skipping = false;

  const one = (bytes: Buffer, emit: EmitRecord) => {
    const number = line++;
    position += bytes.length + 1;
    if (skipping) {
      skipping = false;
      return;
    }
    const text = decode(bytes);
    if (text instanceof Error) return emit(number, position, text);
    if (text.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return emit(number, position, new Error("is not valid JSON"));
    }
    emit(number, position, value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : new Error("is not a JSON object"));
  };

  return {
    push(chunk, emit) {
      const buffer = rest.length ? Buffer.concat([rest, chunk]) : chunk;
      let start = 0;
      for (let nl = buffer.indexOf(NEWLINE); nl !== -1; nl = buffer.indexOf(NEWLINE, start)) {
        one(buffer.subarray(start, nl), emit);
        start = nl + 1;
      }
      rest = buffer.subarray(start);
      if (rest.length > MAX_RECORD_BYTES && !skipping) {
        emit(line, position + rest.length, new Error("is longer than 1 MiB"));
        skipping = true;
      }
      if (skipping) {
        // Keep only the count of skipped bytes, not the bytes.
        position += rest.length;
        rest = Buffer.alloc(0);
      }
    },
    end(emit) {
      if (rest.length) {
        one(rest, emit);
        position -= 1;
      }
      rest = Buffer.alloc(0);
    },
  };
}

/** How many leading bytes of `bytes` are whole UTF-8 characters (a chunk may end inside one). */
function wholeCharacters(bytes: Buffer): number {
  let i = bytes.length - 1;
  while (i >= 0 && i >= bytes.length - 4 && (bytes[i]! & 0xc0) === 0x80) i--;
  if (i < 0) return bytes.length;
  const lead = bytes[i]!;
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return bytes.length - i >= need ? bytes.length : i;
}

/**
 * CSV (RFC 4180): the first record names the fields; quoted fields may hold commas, quotes ("")
 * and newlines. `header` is given when resuming mid-file (read again from the file's start).
 */
export function createCsvReader({
  firstLine = 1,
  offset = 0,
  header,
  onHeader,
}: { firstLine?: number; offset?: number; header?: string[]; onHeader?: (names: string[]) => void } = {}): RecordReader {
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let afterQuote = false;
  let names = header ?? null;
  let line = firstLine;
  let recordLine = firstLine;
  let position = offset;
  let recordBytes = 0;
  let pending: Buffer = Buffer.alloc(0);
  let broken: Error | null = null;

  const finish = (emit: EmitRecord) => {
    fields.push(field);
    const values = fields;
    fields = [];
    field = "";
    afterQuote = false;
    recordBytes = 0;
    const number = recordLine;
    recordLine = line;
    if (broken) {
      const error = broken;
      broken = null;
      return emit(number, position, error);
    }
    if (values.length === 1 && values[0]!.trim() === "") return;
    if (!names) {
      names = values.map((v) => v.trim());
      onHeader?.(names);
      return;
    }
    if (values.length !== names.length) return emit(number, position, new Error(`has ${values.length} fields; the header has ${names.length}`));
    const record: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) if (values[i] !== "") record[names[i]!] = values[i];
    emit(number, position, record);
  };

  return {
    push(chunk, emit) {
      const all = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      const cut = wholeCharacters(all);
      pending = all.subarray(cut);
      const text = decode(all.subarray(0, cut));
      if (text instanceof Error) {
        broken ??= text;
        position += cut;
        return;
      }
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        // Advance the byte position character by character (UTF-8 widths; a surrogate pair is 4).
        position += code < 0x80 ? 1 : code < 0x800 ? 2 : code >= 0xd800 && code <= 0xdbff ? 4 : code >= 0xdc00 && code <= 0xdfff ? 0 : 3;
        if (++recordBytes > MAX_RECORD_BYTES && !broken) broken = new Error("is longer than 1 MiB");
        const c = text[i]!;
        if (quoted) {
          if (c === '"') {
            if (text[i + 1] === '"') {
              if (recordBytes <= MAX_RECORD_BYTES) field += '"';
              i++;
              position++;
            } else {
              quoted = false;
              afterQuote = true;
            }
          } else {
            if (c === "\n") line++;
            if (recordBytes <= MAX_RECORD_BYTES) field += c;
          }
        } else if (c === '"' && field === "" && !afterQuote) quoted = true;
        else if (c === ",") {
          fields.push(field);
          field = "";
          afterQuote = false;
        } else if (c === "\n") {
          line++;
          if (field.endsWith("\r")) field = field.slice(0, -1);
          finish(emit);
        } else if (c !== "\r" || !afterQuote) {
          if (afterQuote) broken ??= new Error("has text after a closing quote");
          if (recordBytes <= MAX_RECORD_BYTES) field += c;
        }
      }
    },
    end(emit) {
      if (pending.length) broken ??= new Error("is not valid UTF-8");
      if (quoted) broken ??= new Error("has a quoted field that never ends");
      if (field !== "" || fields.length > 0 || broken) finish(emit);
    },
  };
}
