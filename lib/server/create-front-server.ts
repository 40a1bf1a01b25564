import "server-only";
import http from "node:http";
import type { Duplex } from "node:stream";
import { findBadUrl } from "@/lib/api/find-bad-url";
import { tooLarge } from "@/lib/api/read-json-body";
import { readEnv } from "@/lib/env";
import { toErrorBody } from "@/lib/errors";
import { checkServerAction, SERVER_ACTION_MAX_BYTES } from "@/lib/server/check-server-action";
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
    // A client that goes away (or is timed out by requestTimeout) mid-body ends the wait too.
    const onClose = () => {
      if (!request.complete) reject(new Error("The client closed the connection before the body ended."));
    };
    request.on("data", onData).on("end", onEnd).on("error", reject).on("close", onClose);
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

function proxy(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  upstream: { port: number; agent: http.Agent },
  body?: Buffer,
) {
  const headers: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(request.headers)) if (!HOP_BY_HOP.has(name)) headers[name] = value;
  // The client's address goes last, where clientIp() (lib/api/client-ip.ts) looks for it.
  const remote = request.socket.remoteAddress ?? "unknown";
  headers["x-forwarded-for"] = request.headers["x-forwarded-for"] ? `${header(request, "x-forwarded-for")}, ${remote}` : remote;
  // Host and scheme as a trusted proxy stated them; with no proxy in front, as this server saw them
  // (a client's own X-Forwarded-Host must not reach Next.js's origin checks).
  if (readEnv().TRUSTED_PROXY_HOPS === 0 || !request.headers["x-forwarded-host"]) headers["x-forwarded-host"] = request.headers.host;
  if (readEnv().TRUSTED_PROXY_HOPS === 0 || !request.headers["x-forwarded-proto"]) headers["x-forwarded-proto"] = "http";

  // A GET or HEAD without a body may be sent again: should a kept-alive socket still close as it
  // is reused (see createUpstreamAgent), the request fails with ECONNRESET before anything was
  // answered (Node's documented retry case, `reusedSocket`). A POST whose bytes reached such a
  // socket is not sent again: nothing on this side can tell whether Next.js began to handle it.
  const retryable = (request.method === "GET" || request.method === "HEAD") && !body && !request.headers["content-length"] && !request.headers["transfer-encoding"];
  const send = (attempt: number) => {
    const outgoing = http.request(
      { host: "127.0.0.1", port: upstream.port, method: request.method, path: request.url, headers, agent: upstream.agent },
      (incoming) => {
        const raw: string[] = [];
        for (let i = 0; i < incoming.rawHeaders.length; i += 2) {
          if (!HOP_BY_HOP.has(incoming.rawHeaders[i]!.toLowerCase())) raw.push(incoming.rawHeaders[i]!, incoming.rawHeaders[i + 1]!);
        }
        response.writeHead(incoming.statusCode ?? 502, incoming.statusMessage, raw);
        response.flushHeaders(); // a stream (suggestions, the queue's events) starts at once
        incoming.pipe(response);
        incoming.on("error", () => response.destroy());
      },
    );
    outgoing.on("error", (error: NodeJS.ErrnoException) => {
      if (response.headersSent) return void response.destroy();
      if (retryable && attempt === 0 && outgoing.reusedSocket && error.code === "ECONNRESET" && !response.destroyed) return void send(1);
      response.writeHead(502, { "content-type": "text/plain; charset=utf-8", "retry-after": "2" });
      response.end("Feedback Replay is starting or restarting. Try again in a moment.\n");
    });
    // The browser went away: stop the work upstream too.
    response.on("close", () => {
      if (!response.writableFinished) outgoing.destroy();
    });
    if (body) {
      outgoing.setHeader("content-length", body.length);
      outgoing.removeHeader("transfer-encoding");
      outgoing.end(body);
    } else if (retryable) {
      outgoing.end();
    } else {
      request.pipe(outgoing);
    }
  };
  send(0);
}

function sendJson(response: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  response.writeHead(status, { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(text), "cache-control": "no-store" });
  response.end(text);
}

/**
 * A server action (POST with `Next-Action`) is checked here before Next.js sees it, because
 * Next.js answers a foreign Origin, an oversized body or a body it cannot decode with a 500:
 * the body is read (at most SERVER_ACTION_MAX_BYTES), checked, and passed on in one piece.
 */
async function serverAction(request: http.IncomingMessage, response: http.ServerResponse, upstream: { port: number; agent: http.Agent }) {
  const early = checkServerAction({ header: (name) => header(request, name), body: null });
  if (early) return sendJson(response, early.status, early.body, { connection: "close" });
  let body: Buffer;
  try {
    body = await readNodeBody(request, SERVER_ACTION_MAX_BYTES);
  } catch (error) {
    const { status, body: errorBody } = toErrorBody(error, "front/server-action");
    return sendJson(response, status, errorBody, { connection: "close" });
  }
  const refused = checkServerAction({ header: (name) => header(request, name), body });
  if (refused) return sendJson(response, refused.status, refused.body);
  proxy(request, response, upstream, body);
}

/** Timeouts and the header limit of the front server: set on purpose, not left at Node's defaults. */
export type FrontServerLimits = {
  /** Time to receive a request's headers (slow-loris). */
  headersTimeoutMs: number;
  /** Time to receive a whole request, body included (a body shorter than its Content-Length). */
  requestTimeoutMs: number;
  /** Idle time between requests on a kept-alive connection. */
  keepAliveTimeoutMs: number;
  /** Request headers larger than this are answered 431. */
  maxHeaderBytes: number;
  /** How often Node checks the two timeouts above (its default, 30 s, would stretch them). */
  checkIntervalMs: number;
};

export const FRONT_SERVER_LIMITS: FrontServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxHeaderBytes: 32 * 1024,
  checkIntervalMs: 1_000,
};

// An answer for a request Node's parser refused, then a half-close: the client reads the answer
// (rather than a reset) while whatever it is still sending is drained.
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex) {
  if (!socket.writable || (error as { code?: string }).code === "ECONNRESET") return void socket.destroy();
  const code = (error as { code?: string }).code;
  const [status, reason, message] =
    code === "HPE_HEADER_OVERFLOW"
      ? [431, "Request Header Fields Too Large", "The request headers are too large."]
      : code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "Request Timeout", "The request was not received in time (a body shorter than its Content-Length?)."]
        : [400, "Bad Request", "The request is not valid HTTP."];
  const body = JSON.stringify({ error: { code: status === 431 ? "headers_too_large" : status === 408 ? "request_timeout" : "bad_request", message } });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  socket.resume();
  setTimeout(() => socket.destroy(), 2_000).unref();
}

/**
 * How long Next.js keeps an idle connection from this server open (`next start --keepAliveTimeout`,
 * scripts/start.ts). Well above the agent's idle time below, so that Next.js never closes a
 * socket the agent may still hand out, even with this process's event loop seconds behind.
 */
export const UPSTREAM_KEEP_ALIVE_TIMEOUT_MS = 60_000;
/** How long the agent keeps an idle socket to Next.js before closing it itself. */
export const UPSTREAM_IDLE_SOCKET_MS = 4_000;

/**
 * The kept-alive connections to Next.js. Node's agent keeps an idle socket for ever unless told
 * otherwise (`timeout` unset: it even ignores the server's `Keep-Alive: timeout=N` hint), while
 * Next.js's server closes it after its keepAliveTimeout (5 s by default). A request handed a socket
 * at that moment is written into a connection that is going away and fails with ECONNRESET: a
 * 502 for a POST, which cannot be sent again safely (the likely cause of the 8 server-action 502s
 * in one bench:load run, bench/README.md; tests/integration/front-server-streams.test.ts plays it). So the agent closes idle sockets first: after UPSTREAM_IDLE_SOCKET_MS, or 1 s
 * before the server's announced timeout when that is shorter (Node applies the hint once `timeout`
 * is set). Node arms that timer when a socket goes back to the pool; while a request is on it, it only
 * emits an unheeded "timeout" event, so long responses (event streams) are not cut.
 */
function createUpstreamAgent(): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: 256, timeout: UPSTREAM_IDLE_SOCKET_MS });
}

/**
 * The production HTTP server in front of Next.js (`npm start`). POST /api/feedback-replay — the
 * helpdesk's hot path — is answered here by the same handler as the Next.js route, without
 * Next.js's per-request cost; every other request is passed to Next.js on a loopback port,
 * streaming both ways, with the client's address appended to X-Forwarded-For.
 */
export function createFrontServer({
  upstreamPort,
  limits = FRONT_SERVER_LIMITS,
}: {
  upstreamPort: number;
  limits?: FrontServerLimits;
}): http.Server {
  const upstream = { port: upstreamPort, agent: createUpstreamAgent() };
  const failed = (context: string, response: http.ServerResponse) => (error: unknown) => {
    const { status, body, headers } = toErrorBody(error, context);
    if (!response.headersSent) sendJson(response, status, body, headers);
    else response.destroy();
  };
  const server = http.createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      maxHeaderSize: limits.maxHeaderBytes,
      connectionsCheckingInterval: limits.checkIntervalMs,
    },
    (request, response) => {
      const target = request.url ?? "/";
      const query = target.indexOf("?");
      const path = query < 0 ? target : target.slice(0, query);
      // The raw target, before Next.js re-encodes invalid percent-encoding as U+FFFD (proxy.ts
      // then could not tell it from a real one).
      const bad = findBadUrl(path, query < 0 ? "" : target.slice(query + 1));
      if (bad) return sendJson(response, 400, { error: { code: "invalid_request", message: bad.message, issues: [bad] } });
      if (request.method === "POST" && path === "/api/feedback-replay") {
        ingest(request, response).catch(failed("front/api/feedback-replay", response));
        return;
      }
      if (request.method === "POST" && request.headers["next-action"] !== undefined) {
        serverAction(request, response, upstream).catch(failed("front/server-action", response));
        return;
      }
      proxy(request, response, upstream);
    },
  );
  server.on("clientError", answerClientError);
  // No WebSockets in production (development's hot reload talks to `next dev` directly).
  server.on("upgrade", (_request, socket) => socket.destroy());
  server.on("close", () => upstream.agent.destroy());
  return server;
}
