import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFrontServer, FRONT_SERVER_LIMITS } from "@/lib/server/create-front-server";
import { createKey } from "../support/factories";

let upstream: http.Server;
let front: http.Server;
let port: number;
const seen: { url: string; body: string }[] = [];

beforeAll(async () => {
  upstream = http.createServer((request, response) => {
    let body = "";
    request.on("data", (c: Buffer) => (body += c.toString()));
    request.on("end", () => {
      seen.push({ url: request.url!, body });
      response.writeHead(200, { "content-type": "text/plain" });
      response.end("upstream");
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  front = createFrontServer({
    upstreamPort: (upstream.address() as AddressInfo).port,
    limits: { ...FRONT_SERVER_LIMITS, headersTimeoutMs: 600, requestTimeoutMs: 800, checkIntervalMs: 100 },
  });
  await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
  port = (front.address() as AddressInfo).port;
});

afterAll(async () => {
  front.closeAllConnections();
  await new Promise((resolve) => front.close(resolve));
  await new Promise((resolve) => upstream.close(resolve));
});

/** Writes raw bytes, then collects what the server answers until it closes the connection. */
function raw(write: (socket: net.Socket) => void): Promise<{ text: string; ms: number; reset: boolean }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect(port, "127.0.0.1", () => write(socket));
    let text = "";
    let reset = false;
    socket.on("data", (chunk) => (text += chunk.toString()));
    socket.on("error", () => (reset = true));
    socket.on("close", () => resolve({ text, ms: Date.now() - started, reset }));
  });
}

describe("the front server's limits are set on purpose", () => {
  it("keeps Node's defaults nowhere: headers 10 s, request 30 s, keep-alive 5 s, 32 KiB of headers", () => {
    expect(FRONT_SERVER_LIMITS).toMatchObject({ headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000, maxHeaderBytes: 32_768 });
    const server = createFrontServer({ upstreamPort: 1 });
    expect([server.headersTimeout, server.requestTimeout, server.keepAliveTimeout, server.maxHeadersCount]).toEqual([10_000, 30_000, 5_000, null]);
  });

  it("answers a 100 KB header with 431 (was a connection reset)", async () => {
    const answer = await raw((socket) => socket.write(`GET /replays HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(100_000)}\r\n\r\n`));
    expect(answer.text).toMatch(/^HTTP\/1\.1 431 /);
    expect(answer.text).toContain('"code":"headers_too_large"');
  });

  it("answers a body shorter than its Content-Length with 408 at requestTimeout (was 327 s)", async () => {
    const { key } = await createKey();
    const answer = await raw((socket) =>
      socket.write(`POST /api/feedback-replay HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"message":`),
    );
    expect(answer.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer.ms).toBeLessThan(5_000);
  });

  it("answers headers that never end with 408 at headersTimeout (slow-loris)", async () => {
    const answer = await raw((socket) => socket.write("GET /replays HTTP/1.1\r\nHost: x\r\n"));
    expect(answer.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer.ms).toBeLessThan(5_000);
  });
});

describe("the raw request target, before Next.js re-encodes it", () => {
  it("refuses a NUL or percent-encoding that is not UTF-8 with a 400 naming the parameter, without passing it on", async () => {
    const before = seen.length;
    for (const [path, name] of [["/replays?topic=%C3%28", "topic"], ["/api/queue?ticket=a%00", "ticket"], ["/replays/%ff", "(path)"]] as const) {
      const response = await fetch(`http://127.0.0.1:${port}${path}`);
      expect(response.status, path).toBe(400);
      expect(((await response.json()) as { error: { issues: { path: string }[] } }).error.issues[0]!.path).toBe(name);
    }
    expect(seen.length).toBe(before);
    expect((await fetch(`http://127.0.0.1:${port}/replays?topic=caf%C3%A9&q=a+b`)).status).toBe(200);
  });
});

describe("server actions the product can refuse before Next.js (which answers these with a 500)", () => {
  const action = (body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}) =>
    fetch(`http://127.0.0.1:${port}/replays`, {
      method: "POST",
      headers: { "next-action": "abc123", "content-type": "text/plain;charset=UTF-8", origin: `http://127.0.0.1:${port}`, ...headers },
      body,
    });

  it("a foreign Origin → 403, over 1 MB → 413, not JSON → 400, nested 10,000 deep → 400, not UTF-8 → 400", async () => {
    const before = seen.length;
    expect((await action("[1]", { origin: "https://evil.example" })).status).toBe(403);
    expect((await action("[1]", { origin: "null" })).status).toBe(403);
    expect((await action(`["${"x".repeat(1024 * 1024 + 10)}"]`)).status).toBe(413);
    expect((await action("{not json")).status).toBe(400);
    expect((await action("[".repeat(10_000) + "]".repeat(10_000))).status).toBe(400);
    expect((await action(new Uint8Array([0x5b, 0x22, 0xc3, 0x28, 0x22, 0x5d]))).status).toBe(400);
    expect(seen.length).toBe(before);
  });

  it("passes a well-formed action on with its body, and any FormData (multipart) action", async () => {
    const ok = await action('[{"replayId":"x","note":"caf\\u00e9 🙂"}]');
    expect(ok.status).toBe(200);
    expect(seen.at(-1)).toEqual({ url: "/replays", body: '[{"replayId":"x","note":"caf\\u00e9 🙂"}]' });
    const form = new FormData();
    form.set("1_a", "b");
    const multipart = await fetch(`http://127.0.0.1:${port}/replays`, { method: "POST", headers: { "next-action": "abc", origin: `http://127.0.0.1:${port}` }, body: form });
    expect(multipart.status).toBe(200);
    // No Origin at all (a non-browser client): left to Next.js, like its own check.
    expect((await action("[1]", { origin: "" })).status).toBe(200);
  });
});
