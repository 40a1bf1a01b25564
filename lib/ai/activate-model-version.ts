import "server-only";
import { drizzle } from "drizzle-orm/node-postgres";
import { recordAudit } from "@/lib/audit/record-audit";
import type { AuditActor } from "@/lib/audit/schemas";
import { getPool } from "@/lib/db/client";
import { toModelVersion, type ModelVersion } from "@/lib/ai/model-version";
import { readAiConfig, servingConfigFor } from "@/lib/ai/read-ai-config";
import { MODEL_REGISTRY_LOCK } from "@/lib/ai/sync-model-registry";
import { UserError } from "@/lib/errors";

/**
 * Makes `id` the one active version. Two statements (the partial unique index allows one active
 * row at any instant) under an advisory lock, so concurrent switches queue instead of failing.
 * Used by the models page (`manager`) and by the retrain's promotion (`retrain`). Every call writes
 * a `model.activate` audit row for `actor`, in the same transaction as the switch.
 */
export async function activateModelVersion({
  id,
  by,
  userId,
  actor,
}: {
  id: string;
  by: "manager" | "retrain";
  userId?: string;
  actor: AuditActor;
}): Promise<ModelVersion> {
  const client = await getPool().connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [MODEL_REGISTRY_LOCK]);
    const found = await client.query("SELECT id, provider, name, version, is_active FROM model_versions WHERE id = $1", [id]);
    const row = found.rows[0];
    if (!row) throw new UserError({ code: "not_found", status: 404, message: "This model version does not exist." });
    if (row.provider !== "local" && !servingConfigFor(row.provider, readAiConfig())) {
      throw new UserError({
        code: "provider_not_configured",
        status: 409,
        message:
          row.provider === "openai"
            ? `${row.name}@${row.version} runs on OpenAI, which is not configured here (OPENAI_API_KEY or OPENAI_BASE_URL, and AI_PROVIDER not local).`
            : `${row.name}@${row.version} runs on ${row.provider}, whose key is not configured here (see the README's fine-tune target recipes, and AI_PROVIDER not local).`,
      });
    }
    const previous = await client.query("SELECT id FROM model_versions WHERE is_active");
    if (!row.is_active) {
      await client.query("UPDATE model_versions SET is_active = false WHERE is_active");
      await client.query(
        "UPDATE model_versions SET is_active = true, activated_by = $2, activated_by_user_id = $3, promoted_at = now() WHERE id = $1",
        [id, by, userId ?? null],
      );
    } else {
      // Choosing the active version again still records who chose it: config no longer overrides it.
      await client.query("UPDATE model_versions SET activated_by = $2, activated_by_user_id = $3 WHERE id = $1", [id, by, userId ?? null]);
    }
    const version = toModelVersion(row);
    await recordAudit(
      { actor, action: "model.activate", target: version.label, details: { versionId: version.id, previousVersionId: previous.rows[0]?.id ?? null, via: by } },
      drizzle(client),
    );
    await client.query("COMMIT");
    return version;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
