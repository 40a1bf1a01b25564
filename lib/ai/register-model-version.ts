import "server-only";
import { getPool } from "@/lib/db/client";
import { toModelVersion, type ModelVersion } from "@/lib/ai/model-version";

/**
 * Adds a version to the registry, inactive (the retrain registers each fine-tuned model here, then
 * promotes it with activateModelVersion). Registering the same provider/name/version twice
 * returns the existing row.
 */
export async function registerModelVersion({
  provider,
  name,
  version,
  notes,
}: {
  provider: "local" | "openai" | "together" | "fireworks" | "azure" | "openai-compatible";
  name: string;
  version: string;
  notes?: string;
}): Promise<ModelVersion> {
  const { rows } = await getPool().query(
    `INSERT INTO model_versions (provider, name, version, notes) VALUES ($1, $2, $3, $4)
     ON CONFLICT (provider, name, version) DO UPDATE SET notes = coalesce(excluded.notes, model_versions.notes)
     RETURNING id, provider, name, version`,
    [provider, name, version, notes ?? null],
  );
  return toModelVersion(rows[0]);
}
