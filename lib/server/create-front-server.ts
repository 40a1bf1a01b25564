import "server-only";
import http from "node:http";
import { tooLarge } from "@/lib/api/read-json-body";
import { readEnv } from "@/lib/env";
import { scheduleFailureAnalysis } from "@/lib/ai/schedule-failure-analysis";
import { handleFeedbackReplay } from "@/lib/feedback/ingest/handle-feedback-replay";

// Per-connection headers that a proxy must not pass on (RFC 9110 §7.6.1).
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"]);

/** The body of a Node request, refused with 413 past `maxBytes`; the rest is drained, not read into memory. */
function readNodeBody(request: http.IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void parts.push(chunk);
      request.off("data", onData).off("end", onEnd);
      request.resume();
      reject(tooLarge(maxBytes));
    };
    const onEnd = () => resolve(Buffer.concat(parts));
    request.on("data", onData).on("end", onEnd).on("error", reject);
  });
}

function header(request: http.IncomingMessage, name: string): string | null {
  const value = request.headers[name];
  return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
}

async function ingest(request: http.IncomingMessage, response: http.ServerResponse) {
  const answer = await handleFeedbackReplay({
    header: (name) => header(request, name),
    readBody: (maxBytes) => readNodeBody(request, maxBytes),
  });
  const body = JSON.stringify(answer.body);
  response.writeHead(answer.status, {
    ...answer.headers,
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
    "referrer-policy": "strict-origin-when-cross-origin",
    // A refused body may not have been read to its end: the connection cannot be reused.
    ...(answer.status === 413 ? { connection: "close" } : {}),
  });
  response.end(body);
  if (answer.analyse) scheduleFailureAnalysis(answer.analyse);
}

function proxy(request: http.IncomingMessage, response: http.ServerResponse, upstream: { port: number; agent: http.Agent }) {
  const headers: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(request.headers)) if (!HOP_BY_HOP.has(name)) headers[name] = value;
  // The client's address goes last, where clientIp() (lib/api/client-ip.ts) looks for it.
  const remote = request.socket.remoteAddress ?? "unknown";
  headers["x-forwarded-for"] = request.headers["x-forwarded-for"] ? `${header(request, "x-forwarded-for")}, ${remote}` : remote;
  // Host and scheme as a trusted proxy stated them; with no proxy in front, as this server saw them
  // (a client's own X-Forwarded-Host must not reach Next.js's origin checks).
  if (readEnv().TRUSTED_PROXY_HOPS === 0 || !request.headers["x-forwarded-host"]) headers["x-forwarded-host"] = request.headers.host;
  if (readEnv().TRUSTED_PROXY_HOPS === 0 || !request.headers["x-forwarded-proto"]) headers["x-forwarded-proto"] = "http";

  const outgoing = http.request(
    { host: "127.0.0.1", port: upstream.port, method: request.method, path: request.url, headers, agent: upstream.agent },
    (incoming) => {
      const raw: string[] = [];
      for (let i = 0; i < incoming.rawHeaders.length; i += 2) {
        if (!HOP_BY_HOP.has(incoming.rawHeaders[i]!.toLowerCase())) raw.push(incoming.rawHeaders[i]!, incoming.rawHeaders[i + 1]!);
      }
      response.writeHead(incoming.statusCode ?? 502, incoming.statusMessage, raw);
      response.flushHeaders(); // a stream (suggestions) starts at once
      incoming.pipe(response);
      incoming.on("error", () => response.destroy());
    },
  );
  outgoing.on("error", () => {
    if (response.headersSent) return void response.destroy();
    response.writeHead(502, { "content-type": "text/plain; charset=utf-8", "retry-after": "2" });
    response.end("Feedback Replay is starting or restarting. Try again in a moment.\n");
  });
  // The browser went away: stop the work upstream too.
  response.on("close", () => {
    if (!response.writableFinished) outgoing.destroy();
  });
  request.pipe(outgoing);
}

/**
 * The production HTTP server in front of Next.js (`npm start`). POST /api/feedback-replay — the
 * helpdesk's hot path — is answered here by the same handler as the Next.js route, without
 * Next.js's per-request cost; every other request is passed to Next.js on a loopback port,
 * streaming both ways, with the client's address appended to X-Forwarded-For.
 */
export function createFrontServer({ upstreamPort }: { upstreamPort: number }): http.Server {
  const upstream = { port: upstreamPort, agent: new http.Agent({ keepAlive: true, maxSockets: 256 }) };
  const server = http.createServer((request, response) => {
    const path = request.url?.split("?", 1)[0];
    if (request.method === "POST" && path === "/api/feedback-replay") {
      ingest(request, response).catch((error: unknown) => {
        console.error("[front] api/feedback-replay:", error);
        if (!response.headersSent) response.writeHead(500, { "content-type": "application/json" });
        response.end(JSON.stringify({ error: { code: "internal_error", message: "Something went wrong on our side. Try again." } }));
      });
      return;
    }
    proxy(request, response, upstream);
  });
  // No WebSockets in production (development's hot reload talks to `next dev` directly).
  server.on("upgrade", (_request, socket) => socket.destroy());
  server.on("close", () => upstream.agent.destroy());
  return server;
}
