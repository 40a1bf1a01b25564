import "server-only";
import { getPool } from "@/lib/db/client";
import { LOCAL_MODEL, toModelVersion, type ModelVersion } from "@/lib/ai/model-version";
import { readAiConfig, servingConfigFor, type AiConfig } from "@/lib/ai/read-ai-config";
import { ensureModelRegistry, syncModelRegistry } from "@/lib/ai/sync-model-registry";

export type EffectiveModel = {
  /** The version that will produce the suggestion (and is recorded with it). */
  version: ModelVersion;
  /** Set when the active version cannot run here (OpenAI not configured): the local model stands in. */
  fallbackFrom?: ModelVersion;
};

/**
 * The active version, read on every suggestion so that a manager's switch applies at once in
 * every process. An OpenAI version without OpenAI configured falls back to the local model,
 * which is what gets recorded, so no suggestion is ever labelled with a model that did not write it.
 */
export async function getActiveModelVersion(config: AiConfig = readAiConfig()): Promise<EffectiveModel> {
  await ensureModelRegistry(config);
  const read = () =>
    getPool().query(
      `SELECT id, provider, name, version, is_active FROM model_versions
       WHERE is_active OR (provider = $1 AND name = $2 AND version = $3)
       ORDER BY is_active DESC`,
      [LOCAL_MODEL.provider, LOCAL_MODEL.name, LOCAL_MODEL.version],
    );
  let { rows } = await read();
  if (!rows.some((r) => r.is_active)) {
    // Nothing active (someone cleared it by hand): the configured default takes over again.
    await syncModelRegistry(config);
    ({ rows } = await read());
  }
  const active = rows.find((r) => r.is_active);
  const local = rows.find((r) => r.provider === "local" && r.name === LOCAL_MODEL.name && r.version === LOCAL_MODEL.version);
  if (!active || !local) throw new Error("The model registry has no active version after a sync; check the migrations.");
  if (active.provider !== "local" && !servingConfigFor(active.provider, config)) {
    return { version: toModelVersion(local), fallbackFrom: toModelVersion(active) };
  }
  return { version: toModelVersion(active) };
}
