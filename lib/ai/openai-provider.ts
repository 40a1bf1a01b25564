import "server-only";
import OpenAI from "openai";
import { zodResponseFormat } from "openai/helpers/zod";
import type { z } from "zod";
import { describeEndpoint, type OpenAIConfig } from "@/lib/ai/read-ai-config";
import { UserError } from "@/lib/errors";

/**
 * The only module that talks to a model provider: OpenAI, Azure OpenAI or any OpenAI-compatible
 * server (vLLM, Ollama, LM Studio) through OPENAI_BASE_URL. The SDK retries 408/409/429/5xx and
 * timeouts with exponential backoff (OPENAI_MAX_RETRIES) and honours Retry-After; every failure
 * leaves here as a UserError that says what to fix.
 */

export type ChatMessage = { role: "system" | "user" | "assistant"; content: string };

/** A Retry-After longer than this is not waited for: the caller gets a clear 429 at once. */
const MAX_RETRY_AFTER_MS = 20_000;

function retryAfterMs(headers: Headers): number | null {
  const ms = Number.parseFloat(headers.get("retry-after-ms") ?? "");
  if (!Number.isNaN(ms)) return ms;
  const value = headers.get("retry-after");
  if (!value) return null;
  const seconds = Number.parseFloat(value);
  return Number.isNaN(seconds) ? Date.parse(value) - Date.now() : seconds * 1000;
}

// `x-should-retry: false` is the SDK's own switch: a server asking us to wait minutes would
// otherwise hold an agent's request (or an after() task) for that long.
const cappedRetryFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  if (response.status !== 429 && response.status < 500) return response;
  const wait = retryAfterMs(response.headers);
  if (wait === null || wait <= MAX_RETRY_AFTER_MS) return response;
  const headers = new Headers(response.headers);
  headers.set("x-should-retry", "false");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
};

const clients = new Map<string, OpenAI>();

function client(config: OpenAIConfig): OpenAI {
  const key = JSON.stringify([config.apiKey, config.baseURL, config.timeoutMs, config.maxRetries]);
  let found = clients.get(key);
  if (!found) {
    found = new OpenAI({
      apiKey: config.apiKey,
      baseURL: config.baseURL,
      timeout: config.timeoutMs,
      maxRetries: config.maxRetries,
      fetch: cappedRetryFetch,
      logLevel: "off",
    });
    clients.set(key, found);
  }
  return found;
}

/**
 * The SDK client for `config` (shared, with the capped retries above), for callers that need an
 * API this module does not wrap: the retrain's files and fine-tuning calls (lib/retrain).
 */
export function createOpenAIClient(config: OpenAIConfig): OpenAI {
  return client(config);
}

/** One chat request: the endpoint, the model, the conversation, and an optional abort. */
export type ChatRequest = { config: OpenAIConfig; model: string; messages: ChatMessage[]; signal?: AbortSignal };

/**
 * The provider answered 2xx with something that is not a chat completion: JSON that does not
 * parse (the SDK throws a SyntaxError), text where JSON was due, or a stream with no events.
 */
function malformed(config: OpenAIConfig, detail: string, expected = "a chat completion"): UserError {
  return new UserError({
    code: "ai_provider_malformed_response",
    status: 502,
    message: `The AI provider (${describeEndpoint(config)}) answered with ${detail}, not ${expected}. Check OPENAI_BASE_URL, or try again later.`,
  });
}

/** The completion's choices, or a malformed-response error when the body has none (text, `{}`, …). */
function choicesOf(completion: unknown, config: OpenAIConfig) {
  const choices = (completion as { choices?: unknown } | null)?.choices;
  if (!Array.isArray(choices)) throw malformed(config, typeof completion === "string" ? "text" : "JSON without `choices`");
  return choices as { message?: { content?: string | null; refusal?: string | null } }[];
}

/** A reply in one piece. */
export async function completeChat({ config, model, messages, signal }: ChatRequest): Promise<string> {
  try {
    const completion = await client(config).chat.completions.create({ model, messages, temperature: 0.3 }, { signal });
    return choicesOf(completion, config)[0]?.message?.content ?? "";
  } catch (error) {
    throw toProviderError(error, { config, model });
  }
}

/** A reply as it is written: yields text deltas. HTTP errors surface on the first `next()`. */
export async function* streamChat({ config, model, messages, signal }: ChatRequest): AsyncGenerator<string> {
  try {
    const stream = await client(config).chat.completions.create({ model, messages, temperature: 0.3, stream: true }, { signal });
    let events = 0;
    for await (const chunk of stream) {
      events++;
      const choices = (chunk as { choices?: unknown } | null)?.choices;
      if (!Array.isArray(choices)) throw malformed(config, "a stream event without `choices`");
      const delta = (choices as typeof chunk.choices)[0]?.delta?.content;
      if (delta) yield delta;
    }
    // A real stream sends at least the role chunk; none at all means the body was not SSE
    // (e.g. a JSON or HTML error page with status 200), which must not pass as "an empty reply".
    if (events === 0) throw malformed(config, "a stream without any events");
  } catch (error) {
    throw toProviderError(error, { config, model });
  }
}

/**
 * Structured output (response_format json_schema, strict) for `schema`. Returns the model's JSON
 * validated by the same zod schema; anything else is an `ai_invalid_output` error.
 */
export async function completeStructured<T extends z.ZodType>({
  config,
  model,
  messages,
  schema,
  name,
}: {
  config: OpenAIConfig;
  model: string;
  messages: ChatMessage[];
  schema: T;
  name: string;
}): Promise<z.infer<T>> {
  let content: string | null | undefined;
  let refusal: string | null | undefined;
  try {
    const completion = await client(config).chat.completions.create({
      model,
      messages,
      temperature: 0,
      response_format: zodResponseFormat(schema, name),
    });
    const choice = choicesOf(completion, config)[0];
    content = choice?.message?.content;
    refusal = choice?.message?.refusal;
  } catch (error) {
    throw toProviderError(error, { config, model });
  }
  const invalid = (detail: string) =>
    new UserError({ code: "ai_invalid_output", status: 502, message: `The model's answer is not a valid ${name}: ${detail}` });
  if (refusal) throw invalid("the model refused to answer.");
  let json: unknown;
  try {
    json = JSON.parse(content ?? "");
  } catch {
    throw invalid(`it is not JSON (${(content ?? "").length} characters of text).`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw invalid(parsed.error.issues.map((i) => `${i.path.join(".") || "(answer)"}: ${i.message}`).join("; "));
  }
  return parsed.data;
}

/** Provider failures in words an operator can act on; the provider's raw message is not echoed. */
export function toProviderError(error: unknown, { config, model }: { config: OpenAIConfig; model: string }): unknown {
  if (error instanceof UserError || error instanceof OpenAI.APIUserAbortError) return error;
  // The SDK parses a 2xx body (or an SSE event) with JSON.parse and lets its SyntaxError through.
  if (error instanceof SyntaxError) return malformed(config, "malformed JSON");
  const where = describeEndpoint(config);
  const retries = config.maxRetries === 1 ? "1 retry" : `${config.maxRetries} retries`;
  const make = (code: string, status: number, message: string) => new UserError({ code, status, message });
  if (error instanceof OpenAI.AuthenticationError) {
    return make("ai_provider_unauthorized", 502, `The AI provider (${where}) refused the API key (401). Check OPENAI_API_KEY.`);
  }
  if (error instanceof OpenAI.PermissionDeniedError) {
    return make("ai_provider_forbidden", 502, `The API key has no access to model "${model}" at ${where} (403). Check the key's project and permissions.`);
  }
  if (error instanceof OpenAI.NotFoundError) {
    return make(
      "ai_provider_model_not_found",
      502,
      `The AI provider (${where}) has no model "${model}" (404). Check OPENAI_MODEL or the active model version` +
        (config.baseURL ? `, and that OPENAI_BASE_URL points at the API root (it usually ends in /v1).` : "."),
    );
  }
  if (error instanceof OpenAI.RateLimitError) {
    const wait = retryAfterMs(error.headers);
    const hint = wait && wait > 0 ? ` It asks to wait ${Math.ceil(wait / 1000)} s.` : " Try again in a minute.";
    return make("ai_provider_rate_limited", 503, `The AI provider (${where}) is rate-limiting requests (429), still after ${retries}.${hint}`);
  }
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return make("ai_provider_timeout", 504, `The AI provider (${where}) did not answer within ${config.timeoutMs} ms (OPENAI_TIMEOUT_MS), ${retries} included.`);
  }
  if (error instanceof OpenAI.APIConnectionError) {
    return make("ai_provider_unreachable", 502, `Could not reach the AI provider at ${where}. Check OPENAI_BASE_URL and the network.`);
  }
  if (error instanceof OpenAI.APIError && typeof error.status === "number") {
    if (error.status >= 500) {
      return make("ai_provider_failed", 502, `The AI provider (${where}) failed with status ${error.status}, still after ${retries}. Try again later.`);
    }
    const detail = [error.code && `code ${error.code}`, error.param && `parameter ${error.param}`].filter(Boolean).join(", ");
    return make("ai_provider_refused", 502, `The AI provider (${where}) refused the request for model "${model}" (${error.status}${detail ? `, ${detail}` : ""}).`);
  }
  return error;
}

/**
 * One `POST /v1/embeddings` for `input` (the customer texts, in order): one vector per text.
 * Asks for base64 (the SDK's own default, a quarter of the bytes) and decodes it here, so a
 * compatible server that ignores `encoding_format` and sends floats works as well. The answer is
 * untrusted: one finite vector per input, all of one size (`dimensions` when asked), or a
 * malformed-response error.
 */
export async function createEmbeddings({
  config,
  model,
  input,
  dimensions,
}: {
  config: OpenAIConfig;
  model: string;
  input: string[];
  dimensions?: number;
}): Promise<Float32Array[]> {
  let data: { index: number; embedding: unknown }[];
  try {
    const response = await client(config).embeddings.create({ model, input, encoding_format: "base64", ...(dimensions ? { dimensions } : {}) });
    data = Array.isArray(response?.data) ? (response.data as { index: number; embedding: unknown }[]) : [];
  } catch (error) {
    throw toProviderError(error, { config, model });
  }
  const vectors: (Float32Array | undefined)[] = new Array(input.length);
  for (const item of data) {
    const raw = item?.embedding;
    let vector: Float32Array | undefined;
    if (typeof raw === "string") {
      const bytes = Buffer.from(raw, "base64");
      if (bytes.length % 4 === 0) vector = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    } else if (Array.isArray(raw) && raw.every((x) => typeof x === "number")) vector = Float32Array.from(raw as number[]);
    if (!Number.isInteger(item?.index) || item.index < 0 || item.index >= input.length || !vector) throw malformed(config, "an embedding that is not a vector", "embeddings");
    vectors[item.index] = vector;
  }
  const size = dimensions ?? vectors[0]?.length ?? 0;
  for (const vector of vectors) {
    if (!vector || vector.length === 0 || vector.length !== size || !vector.every(Number.isFinite)) {
      throw malformed(config, `${data.length} vectors for ${input.length} texts, or of mixed sizes`, "one embedding per text");
    }
  }
  return vectors as Float32Array[];
}
