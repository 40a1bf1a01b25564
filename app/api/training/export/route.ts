import { clientIp } from "@/lib/api/client-ip";
import { jsonError } from "@/lib/api/json-error";
import { recordAudit } from "@/lib/audit/record-audit";
import type { AuditActor } from "@/lib/audit/schemas";
import { verifyApiKey } from "@/lib/api-keys/verify-api-key";
import { requireUser } from "@/lib/auth/session";
import { UserError } from "@/lib/errors";
import { enforceRateLimit } from "@/lib/rate-limit/enforce-rate-limit";
import { exportJsonl } from "@/lib/training/export-jsonl";
import { defaultSince } from "@/lib/training/find-worst-prompts";
import { getDataset } from "@/lib/training/list-datasets";
import { exportQuerySchema } from "@/lib/training/schemas";
import { streamDatasetJsonl } from "@/lib/training/stream-dataset-jsonl";
import { streamResponse } from "@/lib/training/stream-response";

export const dynamic = "force-dynamic";

/**
 * The training data as JSONL (OpenAI chat format, or `?format=dpo` preference pairs), streamed. Callers: a manager's session, or
 * `Authorization: Bearer <key>` with the training:export scope. Every export is recorded as a
 * dataset snapshot; `?dataset=<id>` downloads an earlier one again.
 */
export async function GET(request: Request) {
  try {
    const authorization = request.headers.get("authorization");
    let caller: { createdVia: "api"; apiKeyId: string } | { createdVia: "web"; createdBy: string };
    let actor: AuditActor;
    if (authorization) {
      const auth = await verifyApiKey(authorization, "training:export");
      if (!auth.ok) {
        return Response.json(
          { error: { code: auth.status === 401 ? "unauthorized" : "forbidden", message: auth.message } },
          { status: auth.status, headers: auth.status === 401 ? { "WWW-Authenticate": "Bearer" } : undefined },
        );
      }
      caller = { createdVia: "api", apiKeyId: auth.caller.id };
      actor = { type: "api_key", id: auth.caller.id, name: auth.caller.name };
    } else {
      const user = await requireUser("manager");
      caller = { createdVia: "web", createdBy: user.id };
      actor = { type: "user", id: user.id, email: user.email };
    }
    await enforceRateLimit({ bucket: "api", key: caller.createdVia === "api" ? caller.apiKeyId : "user:" + caller.createdBy });

    const parsed = exportQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!parsed.success) {
      throw new UserError({
        code: "invalid_request",
        message: "Invalid export parameters; see issues.",
        issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
      });
    }
    const query = parsed.data;
    const stamp = new Date().toISOString().slice(0, 10);

    if (query.dataset) {
      const dataset = await getDataset(query.dataset);
      if (!dataset) throw new UserError({ code: "not_found", status: 404, message: "No such dataset." });
      if (dataset.status !== "complete") {
        throw new UserError({ code: "dataset_incomplete", status: 409, message: "This export did not finish, so there is no file to download. Start a new export." });
      }
      await recordAudit({ actor, action: "training.download", target: dataset.id, details: { datasetId: dataset.id, examples: dataset.exampleCount }, ip: clientIp(request.headers) });
      return streamResponse(streamDatasetJsonl(dataset.id), headers({ id: dataset.id, name: `${dataset.source}-${dataset.split}-${dataset.createdAt.slice(0, 10)}`, count: dataset.exampleCount, sha256: dataset.sha256 }));
    }

    const { dataset, chunks } = await exportJsonl({
      source: query.source,
      split: query.split,
      format: query.format,
      since: query.days ? defaultSince(query.days) : undefined,
      ...caller,
    });
    // Recorded when the file starts: its counts and hash are on the snapshot once it ends.
    await recordAudit({ actor, action: "training.export", target: dataset.id, details: { datasetId: dataset.id, source: dataset.source, split: dataset.split, format: dataset.format }, ip: clientIp(request.headers) });
    return streamResponse(chunks, headers({ id: dataset.id, name: `${dataset.source}-${dataset.split}${dataset.format === "dpo" ? "-dpo" : ""}-${stamp}` }));
  } catch (error) {
    return jsonError(error, "api/training/export");
  }
}

// A new export's counts and hash are known only at its end: they are on the snapshot
// (/training/datasets), and in these headers when an earlier snapshot is downloaded again.
function headers({ id, name, count, sha256 }: { id: string; name: string; count?: number; sha256?: string | null }): HeadersInit {
  return {
    "Content-Type": "application/x-ndjson; charset=utf-8",
    "Content-Disposition": `attachment; filename="feedback-replay-${name}.jsonl"`,
    "Cache-Control": "no-store",
    "X-Dataset-Id": id,
    ...(count !== undefined ? { "X-Example-Count": String(count) } : {}),
    ...(sha256 ? { "X-Dataset-Sha256": sha256 } : {}),
  };
}
