import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFrontServer, FRONT_SERVER_LIMITS, UPSTREAM_IDLE_SOCKET_MS, UPSTREAM_KEEP_ALIVE_TIMEOUT_MS } from "@/lib/server/create-front-server";

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

describe("a kept-alive socket to Next.js that closes as it is reused", () => {
  it("a GET is sent again on a new socket instead of answering 502", async () => {
    // Plays Next.js closing an idle kept-alive connection just as the front server reuses it: the
    // second request on any socket is dropped unanswered.
    const served = new WeakMap<object, number>();
    let posts = 0;
    const flaky = http.createServer((request, response) => {
      if (request.method === "POST") posts++;
      const n = (served.get(request.socket) ?? 0) + 1;
      served.set(request.socket, n);
      if (n > 1) return void request.socket.destroy();
      response.writeHead(200, { "content-type": "text/plain" });
      response.end("fresh");
    });
    await new Promise<void>((resolve) => flaky.listen(0, "127.0.0.1", resolve));
    const proxyServer = createFrontServer({ upstreamPort: (flaky.address() as AddressInfo).port });
    await new Promise<void>((resolve) => proxyServer.listen(0, "127.0.0.1", resolve));
    const at = `http://127.0.0.1:${(proxyServer.address() as AddressInfo).port}`;
    try {
      const answers = [];
      for (let i = 0; i < 3; i++) {
        const response = await fetch(`${at}/replays`);
        answers.push(`${response.status} ${await response.text()}`);
      }
      expect(answers).toEqual(["200 fresh", "200 fresh", "200 fresh"]);
      // A POST is never sent twice (it may have been processed): it reaches the upstream once, and fails.
      const post = await fetch(`${at}/api/other`, { method: "POST", body: "x" });
      expect([post.status, posts]).toEqual([502, 1]);
    } finally {
      proxyServer.closeAllConnections();
      await new Promise((resolve) => proxyServer.close(resolve));
      flaky.closeAllConnections();
      await new Promise((resolve) => flaky.close(resolve));
    }
  });
});

describe("an idle kept-alive socket to Next.js, reused as Next.js closes it", () => {
  it("a POST after an idle spell reaches Next.js on a fresh socket (was a 502)", async () => {
    // A real upstream with a short keep-alive (2 s; it announces `Keep-Alive: timeout=2`), playing
    // Next.js's server and its default 5 s. The race, made exact: after an idle spell longer than
    // the front server may keep the socket (the announced 2 s less Node's 1 s margin) and shorter
    // than the upstream keeps it, the upstream's keep-alive timer "fires" the instant the next
    // request reaches the front server: closeIdleConnections() is the same close, at that moment.
    // The old agent kept idle sockets for ever and wrote the POST into that closing socket.
    const posts: string[] = [];
    const sockets = new Set<object>();
    const upstreamServer = http.createServer({ keepAliveTimeout: 2_000 }, (request, response) => {
      sockets.add(request.socket);
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString()));
      request.on("end", () => {
        posts.push(body);
        response.writeHead(200, { "content-type": "text/plain" });
        response.end("stored");
      });
    });
    await new Promise<void>((resolve) => upstreamServer.listen(0, "127.0.0.1", resolve));
    const proxyServer = createFrontServer({ upstreamPort: (upstreamServer.address() as AddressInfo).port });
    await new Promise<void>((resolve) => proxyServer.listen(0, "127.0.0.1", resolve));
    const at = `http://127.0.0.1:${(proxyServer.address() as AddressInfo).port}`;
    try {
      const first = await fetch(`${at}/api/other`, { method: "POST", body: "first" });
      expect([first.status, await first.text()]).toEqual([200, "stored"]);
      // The idle spell is the scenario (1.5 s: 0.5 s clear of either timeout), not a wait for a result.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      proxyServer.prependListener("request", () => upstreamServer.closeIdleConnections());
      const second = await fetch(`${at}/api/other`, { method: "POST", body: "second" });
      expect([second.status, await second.text()]).toEqual([200, "stored"]);
      expect(posts).toEqual(["first", "second"]);
      expect(sockets.size).toBe(2);
    } finally {
      proxyServer.closeAllConnections();
      await new Promise((resolve) => proxyServer.close(resolve));
      upstreamServer.closeAllConnections();
      await new Promise((resolve) => upstreamServer.close(resolve));
    }
  });

  it("Next.js keeps idle connections well past the agent (next start --keepAliveTimeout)", () => {
    expect(UPSTREAM_KEEP_ALIVE_TIMEOUT_MS - UPSTREAM_IDLE_SOCKET_MS).toBeGreaterThanOrEqual(30_000);
  });
});
