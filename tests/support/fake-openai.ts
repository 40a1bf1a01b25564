/**
 * A local stand-in for the OpenAI HTTP API, driven through the real `openai` SDK (baseURL pointed
 * here). It speaks the real wire format: chat completions with and without `stream: true` (SSE
 * `chat.completion.chunk` events, then `data: [DONE]`), `response_format` json_schema structured
 * output, OpenAI-shaped error bodies, Bearer auth and unknown models (404).
 *
 * Behaviour is scripted per test: `queueChat(...)` replies (content, errors with status and
 * headers, delays), or `setChatResponder(fn)`. Other endpoints are added with `route(...)` (the
 * retrain adds /v1/files and /v1/fine_tuning/jobs this way).
 *
 * `POST /v1/embeddings` as the real one: `input` a string or a list of up to 2048 non-empty
 * strings, `dimensions` (refused by text-embedding-ada-002), `encoding_format` float (the API's
 * default) or base64 (little-endian float32, what the SDK asks for by default). The vectors come
 * from `setEmbedder(fn)`; by default each text gets its own random direction (seeded by the text).
 * `queueEmbeddings(...)` scripts failures and delays, one request each.
 */
import { createHash, randomUUID } from "node:crypto";
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { createFineTuningRoutes } from "./fake-openai-fine-tuning";

export type RecordedRequest = {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON when the body was JSON, else the raw text. */
  body: unknown;
};

export type ChatMessageBody = { role: string; content: string };

export type ChatRequestBody = {
  model: string;
  messages: ChatMessageBody[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  response_format?: { type: string; json_schema?: { name: string; strict?: boolean; schema: JsonSchema } };
  temperature?: number;
};

export type ChatReply =
  | {
      /** The assistant's text. Streamed in `chunkSize`-character pieces when the request streams. */
      content: string;
      refusal?: string;
      delayMs?: number;
      chunkSize?: number;
      chunkDelayMs?: number;
    }
  | {
      status: number;
      error?: { message: string; type?: string; code?: string | null; param?: string | null };
      headers?: Record<string, string>;
      delayMs?: number;
    };

export type ChatResponder = (body: ChatRequestBody, request: RecordedRequest) => ChatReply;

export type EmbeddingRequestBody = { model: string; input: string | string[]; dimensions?: number; encoding_format?: "float" | "base64"; user?: string };

/** A scripted answer to one embeddings request: a failure, or a success after a delay. */
export type EmbeddingReply =
  | { status: number; error?: { message: string; type?: string; code?: string | null }; headers?: Record<string, string>; delayMs?: number }
  | { delayMs: number };

/** The vector for one text (any length: the fake uses the request's `dimensions`, else 1536). */
export type Embedder = (text: string, dimensions: number) => ArrayLike<number>;

export type RouteHandler = (request: RecordedRequest, response: ServerResponse) => void | Promise<void>;

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  $ref?: string;
  definitions?: Record<string, JsonSchema>;
  $defs?: Record<string, JsonSchema>;
};

export type FakeOpenAI = {
  /** Pass as the SDK's baseURL / OPENAI_BASE_URL. Ends in /v1 like the real one. */
  baseURL: string;
  apiKey: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  chatRequests: () => ChatRequestBody[];
  /** Replies for the next chat requests, one each, before the default responder takes over. */
  queueChat: (...replies: ChatReply[]) => void;
  setChatResponder: (responder: ChatResponder) => void;
  /** Models the fake knows; any other gets OpenAI's 404 `model_not_found`. */
  models: Set<string>;
  route: (method: string, path: string | RegExp, handler: RouteHandler) => void;
  /** The files + fine-tuning API (tests/support/fake-openai-fine-tuning.ts), served on the same port. */
  fineTuning: ReturnType<typeof createFineTuningRoutes>;
  embeddingRequests: () => EmbeddingRequestBody[];
  queueEmbeddings: (...replies: EmbeddingReply[]) => void;
  setEmbedder: (embedder: Embedder) => void;
  /** Embedding models the fake knows; any other gets the 404 `model_not_found`. */
  embeddingModels: Set<string>;
  /** Resolves when `count` chat requests have arrived (no sleeps in tests). */
  waitForChatRequests: (count: number, timeoutMs?: number) => Promise<void>;
  close: () => Promise<void>;
};

/** A unit vector of `dimensions` that depends only on `seed`: unrelated seeds are near-orthogonal. */
export function seededDirection(seed: string, dimensions: number): Float32Array {
  const bytes = createHash("sha256").update(seed).digest();
  let state = bytes.readUInt32LE(0);
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const vector = new Float32Array(dimensions);
  let norm = 0;
  for (let i = 0; i < dimensions; i++) {
    // Roughly normal: the sum of three uniforms, centred.
    const x = random() + random() + random() - 1.5;
    vector[i] = x;
    norm += x * x;
  }
  const inverse = 1 / Math.sqrt(norm);
  for (let i = 0; i < dimensions; i++) vector[i]! *= inverse;
  return vector;
}

/** A minimal instance of a JSON schema: what a model obeying structured outputs would return. */
export function sampleFromSchema(schema: JsonSchema, root: JsonSchema = schema): unknown {
  if (schema.$ref) {
    const name = schema.$ref.split("/").at(-1)!;
    return sampleFromSchema((root.$defs ?? root.definitions ?? {})[name] ?? {}, root);
  }
  if (schema.enum) return schema.enum[0];
  if (schema.anyOf?.length) return sampleFromSchema(schema.anyOf[0]!, root);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type) {
    case "object":
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([key, value]) => [key, sampleFromSchema(value, root)]));
    case "array":
      return schema.items ? [sampleFromSchema(schema.items, root)] : [];
    case "string":
      return "fake text";
    case "number":
    case "integer":
      return 1;
    case "boolean":
      return true;
    default:
      return null;
  }
}

const defaultResponder: ChatResponder = (body) => {
  const format = body.response_format;
  if (format?.type === "json_schema" && format.json_schema) {
    return { content: JSON.stringify(sampleFromSchema(format.json_schema.schema)) };
  }
  if (format?.type === "json_object") return { content: "{}" };
  return { content: "Thanks for your message! This is the fake model's reply." };
};

function openAIError(status: number, message: string, type: string, code: string | null = null, param: string | null = null) {
  return { status, error: { message, type, code, param } };
}

export async function startFakeOpenAI({
  apiKey = "sk-fake-test-key",
  models = ["gpt-fake"],
  embeddingModels = ["text-embedding-3-small", "text-embedding-3-large", "text-embedding-ada-002"],
}: { apiKey?: string; models?: string[]; embeddingModels?: string[] } = {}): Promise<FakeOpenAI> {
  const known = new Set(models);
  const knownEmbeddings = new Set(embeddingModels);
  const queuedEmbeddings: EmbeddingReply[] = [];
  let embedder: Embedder = (text, dimensions) => seededDirection(text, dimensions);
  const requests: RecordedRequest[] = [];
  const queued: ChatReply[] = [];
  const routes: { method: string; path: string | RegExp; handler: RouteHandler }[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const waiters: { count: number; resolve: () => void }[] = [];
  let responder = defaultResponder;
  let nextId = 1;
  const fineTuning = createFineTuningRoutes();

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      if (ms <= 0) return resolve();
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const sendJson = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { "content-type": "application/json", "x-request-id": `req_fake_${nextId++}`, ...headers });
    response.end(JSON.stringify(body));
  };

  const chatRequests = () =>
    requests.filter((r) => r.method === "POST" && r.path === "/v1/chat/completions").map((r) => r.body as ChatRequestBody);

  async function chatCompletions(request: RecordedRequest, response: ServerResponse) {
    const body = request.body as ChatRequestBody;
    if (!body || typeof body !== "object" || !Array.isArray(body.messages) || typeof body.model !== "string") {
      const e = openAIError(400, "Invalid request: 'model' and 'messages' are required.", "invalid_request_error");
      return sendJson(response, e.status, { error: e.error });
    }
    if (!known.has(body.model)) {
      const e = openAIError(404, `The model \`${body.model}\` does not exist or you do not have access to it.`, "invalid_request_error", "model_not_found");
      return sendJson(response, e.status, { error: e.error });
    }
    const reply = queued.shift() ?? responder(body, request);
    await wait(reply.delayMs ?? 0);
    if (response.destroyed) return;
    if ("status" in reply) {
      const error = reply.error ?? { message: `Fake error ${reply.status}`, type: reply.status >= 500 ? "server_error" : "invalid_request_error" };
      return sendJson(response, reply.status, { error: { type: "invalid_request_error", code: null, param: null, ...error } }, reply.headers);
    }
    const id = `chatcmpl-fake-${nextId++}`;
    const created = Math.floor(Date.now() / 1000);
    const usage = { prompt_tokens: 10, completion_tokens: Math.ceil(reply.content.length / 4), total_tokens: 10 + Math.ceil(reply.content.length / 4) };
    if (!body.stream) {
      return sendJson(response, 200, {
        id,
        object: "chat.completion",
        created,
        model: body.model,
        choices: [{ index: 0, message: { role: "assistant", content: reply.refusal ? null : reply.content, refusal: reply.refusal ?? null }, logprobs: null, finish_reason: "stop" }],
        usage,
        system_fingerprint: "fp_fake",
      });
    }
    response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive", "x-request-id": `req_fake_${nextId++}` });
    const chunk = (delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}) =>
      `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: body.model, system_fingerprint: "fp_fake", choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...extra })}\n\n`;
    response.write(chunk({ role: "assistant", content: "", refusal: null }, null));
    const size = Math.max(1, reply.chunkSize ?? 8);
    for (let at = 0; at < reply.content.length; at += size) {
      if (at > 0) await wait(reply.chunkDelayMs ?? 0);
      if (response.destroyed) return;
      response.write(chunk({ content: reply.content.slice(at, at + size) }, null));
    }
    response.write(chunk({}, "stop"));
    if (body.stream_options?.include_usage) {
      response.write(`data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: body.model, choices: [], usage })}\n\n`);
    }
    response.end("data: [DONE]\n\n");
  }

  const embeddingRequests = () =>
    requests.filter((r) => r.method === "POST" && r.path === "/v1/embeddings").map((r) => r.body as EmbeddingRequestBody);

  async function embeddings(request: RecordedRequest, response: ServerResponse) {
    const body = request.body as EmbeddingRequestBody;
    const invalid = (message: string, param: string | null = null) => {
      const e = openAIError(400, message, "invalid_request_error", null, param);
      sendJson(response, e.status, { error: e.error });
    };
    if (!body || typeof body !== "object" || typeof body.model !== "string") return invalid("you must provide a model parameter", "model");
    const input = typeof body.input === "string" ? [body.input] : body.input;
    if (!Array.isArray(input) || input.length === 0 || input.length > 2048) return invalid("'$.input' is invalid. Please check the API reference.", "input");
    if (!input.every((text) => typeof text === "string" && text.length > 0)) return invalid("'$.input' is invalid: every input must be a non-empty string.", "input");
    if (!knownEmbeddings.has(body.model)) {
      const e = openAIError(404, `The model \`${body.model}\` does not exist or you do not have access to it.`, "invalid_request_error", "model_not_found");
      return sendJson(response, e.status, { error: e.error });
    }
    if (body.dimensions !== undefined && (!Number.isInteger(body.dimensions) || body.dimensions < 1 || body.dimensions > 3072)) return invalid("Invalid value for 'dimensions'.", "dimensions");
    if (body.dimensions !== undefined && body.model === "text-embedding-ada-002") return invalid("This model does not support specifying dimensions.", "dimensions");
    if (body.encoding_format !== undefined && body.encoding_format !== "float" && body.encoding_format !== "base64") return invalid("Invalid value for 'encoding_format'.", "encoding_format");
    const reply = queuedEmbeddings.shift();
    await wait(reply?.delayMs ?? 0);
    if (response.destroyed) return;
    if (reply && "status" in reply) {
      const error = reply.error ?? { message: `Fake error ${reply.status}`, type: reply.status >= 500 ? "server_error" : "invalid_request_error" };
      return sendJson(response, reply.status, { error: { type: "invalid_request_error", code: null, param: null, ...error } }, reply.headers);
    }
    const size = body.dimensions ?? 1536;
    const data = input.map((text, index) => {
      const vector = Float32Array.from(embedder(text, size));
      const embedding = body.encoding_format === "base64" ? Buffer.from(vector.buffer).toString("base64") : Array.from(vector);
      return { object: "embedding", index, embedding };
    });
    const tokens = input.reduce((sum, text) => sum + Math.ceil(text.length / 4), 0);
    sendJson(response, 200, { object: "list", data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
  }

  routes.push({ method: "POST", path: "/v1/chat/completions", handler: chatCompletions });
  routes.push({ method: "POST", path: "/v1/embeddings", handler: embeddings });
  routes.push({
    method: "GET",
    path: "/v1/models",
    handler: (_request, response) =>
      sendJson(response, 200, { object: "list", data: [...known].map((id) => ({ id, object: "model", created: 0, owned_by: "fake" })) }),
  });

  async function handle(incoming: IncomingMessage, response: ServerResponse) {
    if (incoming.headers.authorization === `Bearer ${apiKey}` && (await fineTuning.handle(incoming, response, new URL(incoming.url ?? "/", "http://127.0.0.1")))) return;
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    let body: unknown = text;
    if ((incoming.headers["content-type"] ?? "").includes("json")) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    const path = (incoming.url ?? "/").split("?")[0]!;
    const request: RecordedRequest = { method: incoming.method ?? "GET", path, headers: incoming.headers, body };
    requests.push(request);
    if (path === "/v1/chat/completions") {
      const count = chatRequests().length;
      for (const waiter of waiters.filter((w) => w.count <= count)) waiter.resolve();
    }

    if (incoming.headers.authorization !== `Bearer ${apiKey}`) {
      const given = String(incoming.headers.authorization ?? "").replace(/^Bearer\s+/i, "");
      const e = openAIError(401, `Incorrect API key provided: ${given.slice(0, 6)}***. You can find your API key at https://platform.openai.com/account/api-keys.`, "invalid_request_error", "invalid_api_key");
      return sendJson(response, e.status, { error: e.error });
    }
    const route = [...routes].reverse().find((r) => r.method === request.method && (typeof r.path === "string" ? r.path === path : r.path.test(path)));
    if (!route) {
      const e = openAIError(404, `Invalid URL (${request.method} ${path})`, "invalid_request_error");
      return sendJson(response, e.status, { error: e.error });
    }
    await route.handler(request, response);
  }

  const server = http.createServer((incoming, response) => {
    handle(incoming, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { error: { message: String(error), type: "server_error", code: null, param: null } });
      else response.destroy();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    apiKey,
    requests,
    chatRequests,
    queueChat: (...replies) => queued.push(...replies),
    setChatResponder: (fn) => {
      responder = fn;
    },
    models: known,
    embeddingRequests,
    queueEmbeddings: (...replies) => queuedEmbeddings.push(...replies),
    setEmbedder: (fn) => {
      embedder = fn;
    },
    embeddingModels: knownEmbeddings,
    route: (method, path, handler) => routes.push({ method, path, handler }),
    fineTuning,
    waitForChatRequests: (count, timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        if (chatRequests().length >= count) return resolve();
        const timer = setTimeout(() => reject(new Error(`The fake OpenAI got ${chatRequests().length} of ${count} chat requests.`)), timeoutMs);
        waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
      }),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A unique id, handy for texts the fake should recognise. */
export const fakeId = () => randomUUID().slice(0, 8);
