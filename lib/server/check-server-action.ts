import "server-only";
import { readEnv } from "@/lib/env";

/** Next.js's own default `serverActions.bodySizeLimit` (1 MB); bigger bodies get 413 here. */
export const SERVER_ACTION_MAX_BYTES = 1024 * 1024;

/** Our actions take flat objects; React's reply encoding adds a level or two. */
const MAX_DEPTH = 64;

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

type Refusal = { status: number; body: { error: { code: string; message: string } } };

const refuse = (status: number, code: string, message: string): Refusal => ({ status, body: { error: { code, message } } });

/** The deepest nesting of arrays/objects in JSON text (strings skipped), stopping past `limit`. */
function nestingDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > deepest && (deepest = depth) > limit) return deepest;
    } else if (c === 93 || c === 125) depth--;
  }
  return deepest;
}

/**
 * What the front server refuses of a server action request before Next.js sees it (Next.js
 * answers these with a 500): a foreign Origin (403, the same rule as Next.js's own check), a body
 * over 1 MB (413), and a text body that is not UTF-8 JSON or is nested deeper than 64 (400).
 * Called once with `body: null` on the headers, then with the body. Multipart bodies (FormData
 * arguments) are only size-checked; decoding them stays Next.js's own.
 */
export function checkServerAction({ header, body }: { header: (name: string) => string | null; body: Buffer | null }): Refusal | null {
  if (body === null) {
    const origin = header("origin");
    if (origin) {
      const proxied = readEnv().TRUSTED_PROXY_HOPS > 0 ? header("x-forwarded-host") : null;
      const host = (proxied ?? header("host") ?? "").split(",")[0]!.trim().toLowerCase();
      let originHost: string | null = null;
      try {
        originHost = new URL(origin).host.toLowerCase();
      } catch {
        // "null" or garbage: foreign
      }
      if (originHost !== host) return refuse(403, "forbidden_origin", "This action may only be called from the app's own pages (the Origin header names another site).");
    }
    if (Number(header("content-length") ?? 0) > SERVER_ACTION_MAX_BYTES) {
      return refuse(413, "payload_too_large", `The request body is larger than ${SERVER_ACTION_MAX_BYTES} bytes.`);
    }
    return null;
  }
  if (/^multipart\//i.test(header("content-type") ?? "")) return null;
  let text: string;
  try {
    text = strictUtf8.decode(body);
  } catch {
    return refuse(400, "invalid_encoding", "The request body is not valid UTF-8.");
  }
  if (nestingDepth(text, MAX_DEPTH) > MAX_DEPTH) return refuse(400, "invalid_request", `The arguments are nested deeper than ${MAX_DEPTH} levels.`);
  try {
    JSON.parse(text);
  } catch {
    return refuse(400, "invalid_request", "The request body is not a server action's arguments (not JSON).");
  }
  return null;
}
