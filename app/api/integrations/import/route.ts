import { z } from "zod";
import { jsonError } from "@/lib/api/json-error";
import { requireUser } from "@/lib/auth/session";
import { UserError } from "@/lib/errors";
import { startUploadImport } from "@/lib/integrations/import/import-upload";

export const dynamic = "force-dynamic";

const querySchema = z.object({
  format: z.enum(["jsonl", "csv"], { error: "format must be jsonl or csv" }),
  name: z.string().trim().min(1).max(200).regex(/^[^\u0000-\u001f]+$/, "name must be a file name").default("upload"),
});

/**
 * Admins only: the body is the history file itself (JSONL or CSV, up to 100 MB), saved as it
 * streams in, then imported in the background. `?format=jsonl|csv&name=FILE` → 202 `{ runId }`.
 */
export async function POST(request: Request) {
  try {
    const user = await requireUser("admin");
    const query = querySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!query.success) throw new UserError({ code: "invalid_request", message: query.error.issues[0]!.message });
    if (Number(request.headers.get("content-length") ?? 0) > 100 * 1024 * 1024) {
      throw new UserError({ code: "payload_too_large", status: 413, message: "The file is larger than 100 MB: import it with npm run cli -- import FILE instead." });
    }
    const body = (request.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() })) as unknown as AsyncIterable<Uint8Array>;
    const { runId } = await startUploadImport({ body, fileName: query.data.name, format: query.data.format, actor: { type: "user", id: user.id, email: user.email } });
    return Response.json({ runId }, { status: 202 });
  } catch (error) {
    return jsonError(error, "api/integrations/import");
  }
}
