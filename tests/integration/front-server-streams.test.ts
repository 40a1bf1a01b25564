import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFrontServer, FRONT_SERVER_LIMITS } from "@/lib/server/create-front-server";

// The queue's push (/api/queue/events) is a server-sent event stream from Next.js through the
// production front server. This upstream plays Next.js: one event, then the next only once the
// client has the first, so a proxy that buffers can never pass.
let upstream: http.Server;
let front: http.Server;
let port: number;
const REQUEST_TIMEOUT_MS = 800;
let clientHasFirst: () => void = () => {};

beforeAll(async () => {
  upstream = http.createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store, no-transform" });
    response.write("event: ready\ndata: {}\n\n");
    new Promise<void>((resolve) => (clientHasFirst = resolve)).then(() => {
      // Past the front server's requestTimeout: a stream is a long response, not a slow request.
      setTimeout(() => response.end("event: replays\ndata: {}\n\n"), REQUEST_TIMEOUT_MS + 400);
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  front = createFrontServer({
    upstreamPort: (upstream.address() as AddressInfo).port,
    limits: { ...FRONT_SERVER_LIMITS, headersTimeoutMs: 600, requestTimeoutMs: REQUEST_TIMEOUT_MS, checkIntervalMs: 100 },
  });
  await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
  port = (front.address() as AddressInfo).port;
});

afterAll(async () => {
  front.closeAllConnections();
  await new Promise((resolve) => front.close(resolve));
  upstream.closeAllConnections();
  await new Promise((resolve) => upstream.close(resolve));
});

describe("the front server passes an event stream through", () => {
  it("event by event, unbuffered, and for longer than its requestTimeout", async () => {
    const received: string[] = [];
    const response = await fetch(`http://127.0.0.1:${port}/api/queue/events`, { headers: { accept: "text/event-stream" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      if (received.length === 0 && text.includes("event: ready\n")) {
        received.push("ready");
        clientHasFirst();
      }
    }
    expect(received).toEqual(["ready"]);
    expect(text).toBe("event: ready\ndata: {}\n\nevent: replays\ndata: {}\n\n");
  });
});
