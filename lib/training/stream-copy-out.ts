import "server-only";
import type pg from "pg";

const COPY_DATA = 0x64; // 'd'
const COPY_DONE = 0x63; // 'c'
const ERROR_RESPONSE = 0x45; // 'E'

type DataHandler = (chunk: Buffer) => void;

/**
 * A node-postgres Submittable for `COPY … TO STDOUT` that hands the COPY data to `onData` as
 * ranges of the socket's own chunks. The same hand-over as pg-copy-streams' copy-to (take the
 * socket from node-postgres' protocol parser, read the CopyData messages, give the socket back
 * at CopyDone or at an ErrorResponse so node-postgres reads the rest), without its Readable: that
 * makes a Buffer of every row and joins them again, ~0.6 s of the export's one busy core at a
 * million rows (bench/export.ts).
 */
class CopyOut {
  private connection?: pg.Connection;
  private protocolHandler?: DataHandler;
  private code = -1; // of the message being read; -1 between messages
  private lengthBytes = Buffer.alloc(4);
  private lengthRead = 0;
  private remaining = 0; // payload bytes of the current message still to come
  private wakeUp?: () => void;
  private woken = false;
  error?: Error;
  finished = false;
  rowCount = 0;

  constructor(
    private readonly text: string,
    private readonly onData: (chunk: Buffer, start: number, end: number) => void,
    private readonly full: () => boolean,
  ) {}

  submit(connection: pg.Connection) {
    this.connection = connection;
    const socket = connection.stream;
    const handlers = socket.listeners("data") as DataHandler[];
    if (handlers.length !== 1) throw new Error("COPY TO: expected node-postgres' one data listener on the socket");
    this.protocolHandler = handlers[0]!;
    socket.removeListener("data", this.protocolHandler);
    socket.on("data", this.onChunk);
    connection.query(this.text);
  }

  // The socket delivers ~8 KB at a time (PostgreSQL's send buffer): chunks are read as they come,
  // and only when the consumer has something to take does the socket pause and the consumer wake.
  private onChunk = (chunk: Buffer) => {
    try {
      this.read(chunk);
    } catch (error) {
      this.error = error instanceof Error ? error : new Error(String(error));
    }
    if (this.error || this.full()) {
      this.connection!.stream.pause(); // until the consumer comes back for more: backpressure
      this.wake();
    }
  };

  private read(chunk: Buffer) {
    let i = 0;
    while (i < chunk.length) {
      if (this.code === -1) {
        this.code = chunk[i]!;
        if (this.code === ERROR_RESPONSE) return this.handBack(chunk.subarray(i));
        i++;
        this.lengthRead = 0;
        continue;
      }
      if (this.lengthRead < 4) {
        const n = Math.min(4 - this.lengthRead, chunk.length - i);
        chunk.copy(this.lengthBytes, this.lengthRead, i, i + n);
        this.lengthRead += n;
        i += n;
        if (this.lengthRead < 4) return;
        this.remaining = this.lengthBytes.readInt32BE(0) - 4;
        if (this.code === COPY_DONE) return this.handBack(chunk.subarray(i));
      }
      const n = Math.min(this.remaining, chunk.length - i);
      if (this.code === COPY_DATA && n > 0) this.onData(chunk, i, i + n);
      // Anything else inside a COPY (CopyOutResponse, notices, parameter status) is skipped.
      i += n;
      this.remaining -= n;
      if (this.remaining === 0) this.code = -1;
    }
  }

  /** Gives the socket back to node-postgres with the bytes it must read next. */
  private handBack(rest: Buffer) {
    const socket = this.connection!.stream;
    socket.removeListener("data", this.onChunk);
    socket.on("data", this.protocolHandler!);
    if (rest.length > 0) this.protocolHandler!(rest);
    process.nextTick(() => socket.resume());
  }

  /** The consumer wants more: lets the socket deliver again. */
  resume() {
    if (!this.finished && !this.error) this.connection?.stream.resume();
  }

  /** Resolves once something happened since the last call: a chunk was read, the COPY ended or failed. */
  next(): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.wakeUp = () => {
        this.woken = false;
        resolve();
      };
    });
  }

  private wake() {
    this.woken = true;
    const wakeUp = this.wakeUp;
    this.wakeUp = undefined;
    wakeUp?.();
  }

  // Called by node-postgres once it has the socket back (or the connection failed).
  handleError(error: Error) {
    this.error = error;
    this.wake();
  }

  handleCommandComplete(message: { text?: string }) {
    this.rowCount = Number(/COPY (\d+)/.exec(message?.text ?? "")?.[1] ?? 0);
  }

  handleReadyForQuery() {
    this.finished = true;
    this.wake();
  }
}

/**
 * Runs `sql` (a `COPY … TO STDOUT`) on `client` and hands its data to `onData(chunk, start, end)`
 * (byte ranges, valid during the call) as it comes off the socket. Yields whenever `full()` says
 * the consumer has something to take; the socket stays paused until the consumer comes back, so
 * a slow consumer slows the server and memory stays flat. Returns the number of rows. A consumer
 * that stops early must discard the connection (`release(true)`): the COPY still runs on it.
 */
export async function* streamCopyOut({
  client,
  sql,
  onData,
  full,
}: {
  client: pg.ClientBase;
  sql: string;
  onData: (chunk: Buffer, start: number, end: number) => void;
  full: () => boolean;
}): AsyncGenerator<void, number, undefined> {
  const copy = new CopyOut(sql, onData, full);
  client.query(copy);
  for (;;) {
    await copy.next();
    if (copy.error) throw copy.error;
    if (copy.finished) return copy.rowCount;
    yield;
    copy.resume();
  }
}
