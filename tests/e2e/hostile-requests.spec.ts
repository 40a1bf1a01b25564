import net from "node:net";
import { expect, test } from "@playwright/test";
import { E2E_PORT } from "../../playwright.config";

// Against the production server (front server + Next.js), as a client sees it.
const base = `http://localhost:${E2E_PORT}`;

test("a NUL or non-UTF-8 in any URL is a 400 that names the parameter, signed in or not (was a 500)", async () => {
  for (const path of ["/api/queue?topic=%00", "/replays?topic=%00", "/dashboard?model=%00", "/dashboard/export/volume?topic=%00", "/training/review?q=%00", "/replays?topic=%C3%28"]) {
    const response = await fetch(`${base}${path}`, { redirect: "manual" });
    expect(response.status, path).toBe(400);
    const body = (await response.json()) as { error: { code: string; issues: { path: string }[] } };
    expect(body.error.issues[0]!.path).toBe(new URL(path, base).searchParams.keys().next().value);
  }
});

test("malformed server-action requests are refused by the front server with a 4xx (Next.js answers them 500)", async () => {
  const action = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${base}/replays`, { method: "POST", headers: { "next-action": "0".repeat(42), "content-type": "text/plain;charset=UTF-8", origin: base, ...headers }, body });
  expect((await action("[1]", { origin: "https://evil.example" })).status).toBe(403);
  expect((await action(`["${"x".repeat(1024 * 1024)}"]`)).status).toBe(413);
  expect((await action("{not json")).status).toBe(400);
  expect((await action("[".repeat(10_000) + "]".repeat(10_000))).status).toBe(400);
});

test("a 100 KB header is answered 431, not a connection reset", async () => {
  const text = await new Promise<string>((resolve) => {
    let received = "";
    const socket = net.connect(E2E_PORT, "127.0.0.1", () => socket.write(`GET /signin HTTP/1.1\r\nHost: localhost\r\nX-Big: ${"a".repeat(100_000)}\r\n\r\n`));
    socket.on("data", (chunk) => (received += chunk.toString()));
    socket.on("error", () => {});
    socket.on("close", () => resolve(received));
  });
  expect(text).toMatch(/^HTTP\/1\.1 431 /);
});
