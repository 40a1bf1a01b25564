import "server-only";

/**
 * A streamed HTTP body from an async generator of text chunks. Pull-based: the next chunk is read
 * from the database only when the client has taken the previous one (backpressure), and a client
 * that goes away stops the generator, which closes its cursor.
 *
 * The status and headers go out at once: Next.js sends them with the body's first chunk, so an
 * empty chunk starts the body. An export with nothing ready yet (all of it still being prepared,
 * or no line to send) would otherwise answer nothing at all until it ended, and clients time out
 * waiting for headers (bench:load: no headers in 300 s at 1,000,000 replays).
 */
export function streamResponse(chunks: AsyncGenerator<Uint8Array, void, undefined>, headers: HeadersInit): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new Uint8Array(0));
    },
    async pull(controller) {
      try {
        const { value, done } = await chunks.next();
        if (done) controller.close();
        else controller.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
      } catch (error) {
        console.error("[training/export] stream failed:", error instanceof Error ? error.message : error);
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(body, { headers });
}
