import { describe, expect, it } from "vitest";
import { streamResponse } from "./stream-response";

describe("streamResponse", () => {
  it("starts the body before the first line is ready, so the headers go out at once", async () => {
    let release!: () => void;
    const ready = new Promise<void>((resolve) => (release = resolve));
    async function* lines() {
      await ready; // an export still preparing its first slice
      yield new TextEncoder().encode('{"a":1}\n');
    }
    const reader = streamResponse(lines(), { "Content-Type": "application/x-ndjson" }).body!.getReader();
    const first = await Promise.race([reader.read(), new Promise<"waiting">((resolve) => setTimeout(() => resolve("waiting"), 500))]);
    expect(first).not.toBe("waiting");
    expect((first as ReadableStreamReadResult<Uint8Array>).value?.byteLength).toBe(0);
    release();
    const next = await reader.read();
    expect(new TextDecoder().decode(next.value)).toBe('{"a":1}\n');
    expect((await reader.read()).done).toBe(true);
  });
});
