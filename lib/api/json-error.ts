import "server-only";
import { toErrorBody } from "@/lib/errors";

/** The JSON error response every route handler uses: `{ error: { code, message, issues? } }`. */
export function jsonError(error: unknown, context: string, headers?: HeadersInit): Response {
  const { status, body } = toErrorBody(error, context);
  return Response.json(body, { status, headers });
}
