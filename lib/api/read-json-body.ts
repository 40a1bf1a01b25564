import "server-only";
import type { z } from "zod";
import { findUnstorableText } from "@/lib/api/find-unstorable-text";
import { UserError, type FieldIssue } from "@/lib/errors";

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Where a body that is not valid UTF-8 went wrong: decoded leniently (invalid bytes become
 * U+FFFD), the first string holding U+FFFD names the field. Only on the failure path.
 */
function locateInvalidUtf8(bytes: Buffer): FieldIssue {
  const message = "is not valid UTF-8: send texts as UTF-8 (invalid bytes are refused, never replaced)";
  try {
    const stack: { value: unknown; path: string[] }[] = [{ value: JSON.parse(bytes.toString("utf8")), path: [] }];
    for (let next = stack.pop(); next; next = stack.pop()) {
      const { value, path } = next;
      if (typeof value === "string" && value.includes("\uFFFD")) return { path: path.join(".") || "(body)", message: `${path.at(-1) ?? "The body"} ${message}` };
      if (typeof value === "object" && value !== null) {
        for (const [key, child] of Object.entries(value)) {
          if (key.includes("\uFFFD")) return { path: [...path, "(key)"].join("."), message: `A field name ${message}` };
          stack.push({ value: child, path: [...path, key] });
        }
      }
    }
  } catch {
    // not JSON even leniently: the whole body is named
  }
  return { path: "(body)", message: `The body ${message}` };
}

/** The 413 for a body past `maxBytes`. */
export function tooLarge(maxBytes: number) {
  return new UserError({
    code: "payload_too_large",
    status: 413,
    message: `The body is larger than ${maxBytes} bytes. Messages and replies may be up to 32,000 characters each.`,
  });
}

/** Refuses, before reading the body, a request that is not JSON (415) or says it is too large (413). */
export function checkJsonHeaders(contentType: string | null, contentLength: string | null, maxBytes: number): void {
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(contentType ?? "")) {
    throw new UserError({ code: "unsupported_media_type", status: 415, message: "Send the body as JSON with `Content-Type: application/json`." });
  }
  if (Number(contentLength ?? 0) > maxBytes) throw tooLarge(maxBytes);
}

/**
 * Collects a body's chunks with a hard size limit (also for chunked bodies without
 * Content-Length): past `maxBytes` it stops reading (`cancel`) and throws 413.
 */
export async function collectBody(chunks: AsyncIterable<Uint8Array>, maxBytes: number, cancel: () => void): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      cancel();
      throw tooLarge(maxBytes);
    }
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

/**
 * Parses and validates a JSON body; every failure is a UserError that says what to fix. The
 * bytes must be valid UTF-8, and no text may hold a NUL or a lone surrogate (findUnstorableText):
 * accepted text is stored exactly as sent, so anything that would be changed is refused with 400.
 */
export function parseJsonBody<T extends z.ZodType>(bytes: Buffer, schema: T): z.infer<T> {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    const issue = locateInvalidUtf8(bytes);
    throw new UserError({ code: "invalid_encoding", message: issue.message, issues: [issue] });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UserError({ code: "invalid_json", message: "The body is not valid JSON." });
  }
  const unstorable = findUnstorableText(json);
  if (unstorable) throw new UserError({ code: "invalid_request", message: unstorable.message, issues: [unstorable] });
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new UserError({
      code: "invalid_request",
      message: "The request body has invalid fields; see issues.",
      issues: parsed.error.issues.map((i) => ({ path: i.path.join(".") || "(body)", message: i.message })),
    });
  }
  return parsed.data;
}

/** Reads a Fetch API request's JSON body with a hard size limit, then validates it. */
export async function readJsonBody<T extends z.ZodType>(request: Request, schema: T, maxBytes: number): Promise<z.infer<T>> {
  checkJsonHeaders(request.headers.get("content-type"), request.headers.get("content-length"), maxBytes);
  const bytes = request.body
    ? await collectBody(request.body as unknown as AsyncIterable<Uint8Array>, maxBytes, () => void request.body!.cancel().catch(() => {}))
    : Buffer.alloc(0);
  return parseJsonBody(bytes, schema);
}
