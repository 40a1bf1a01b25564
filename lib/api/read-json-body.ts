import "server-only";
import type { z } from "zod";
import { UserError } from "@/lib/errors";

/**
 * Reads a JSON body with a hard size limit (also for chunked bodies without Content-Length),
 * then validates it. Every failure is a UserError that says what to fix.
 */
export async function readJsonBody<T extends z.ZodType>(request: Request, schema: T, maxBytes: number): Promise<z.infer<T>> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) {
    throw new UserError({ code: "unsupported_media_type", status: 415, message: "Send the body as JSON with `Content-Type: application/json`." });
  }
  const tooLarge = new UserError({
    code: "payload_too_large",
    status: 413,
    message: `The body is larger than ${maxBytes} bytes. Messages and replies may be up to 32,000 characters each.`,
  });
  if (Number(request.headers.get("content-length") ?? 0) > maxBytes) throw tooLarge;

  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw tooLarge;
      }
      chunks.push(value);
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new UserError({ code: "invalid_json", message: "The body is not valid JSON." });
  }
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
