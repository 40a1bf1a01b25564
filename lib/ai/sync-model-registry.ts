import "server-only";
import { getPool } from "@/lib/db/client";
import { LOCAL_MODEL } from "@/lib/ai/model-version";
import { readAiConfig, type AiConfig } from "@/lib/ai/read-ai-config";

/** Shared with activateModelVersion: one activation at a time, across processes. */
export const MODEL_REGISTRY_LOCK = 72_616_004;

/**
 * Registers the configured models (local-retrieval@v1 always; OPENAI_MODEL@base when OpenAI is
 * configured) and activates the configured default when nothing is active, or when the active
 * version was itself chosen by configuration (`activated_by = 'config'`) and the configuration
 * changed. A version chosen by a manager or by the retrain is never overridden here.
 */
export async function syncModelRegistry(config: AiConfig = readAiConfig()): Promise<void> {
  const client = await getPool().connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [MODEL_REGISTRY_LOCK]);
    const wanted = config.openai
      ? { provider: "openai", name: config.openai.model, version: "base", notes: "The configured OPENAI_MODEL." }
      : { ...LOCAL_MODEL, notes: "The reply your agents sent to the most similar past message, found in PostgreSQL. Works offline." };
    const register = `INSERT INTO model_versions (provider, name, version, notes) VALUES ($1, $2, $3, $4)
                      ON CONFLICT (provider, name, version) DO UPDATE SET provider = excluded.provider RETURNING id`;
    await client.query(register, [LOCAL_MODEL.provider, LOCAL_MODEL.name, LOCAL_MODEL.version, "The reply your agents sent to the most similar past message, found in PostgreSQL. Works offline."]);
    const { rows } = await client.query(register, [wanted.provider, wanted.name, wanted.version, wanted.notes]);
    const wantedId = rows[0].id as string;
    const active = await client.query("SELECT id, activated_by FROM model_versions WHERE is_active");
    const current = active.rows[0] as { id: string; activated_by: string | null } | undefined;
    if (!current || (current.activated_by === "config" && current.id !== wantedId)) {
      await client.query("UPDATE model_versions SET is_active = false WHERE is_active");
      await client.query(
        `UPDATE model_versions SET is_active = true, activated_by = 'config', activated_by_user_id = NULL, promoted_at = now() WHERE id = $1`,
        [wantedId],
      );
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

const holder = globalThis as unknown as { __feedbackReplayModelSync?: Map<string, Promise<void>> };

/** syncModelRegistry once per process and configuration (a failed sync is tried again next time). */
export function ensureModelRegistry(config: AiConfig = readAiConfig()): Promise<void> {
  holder.__feedbackReplayModelSync ??= new Map();
  const key = JSON.stringify([config.openai?.model ?? null]);
  let sync = holder.__feedbackReplayModelSync.get(key);
  if (!sync) {
    sync = syncModelRegistry(config).catch((error: unknown) => {
      holder.__feedbackReplayModelSync?.delete(key);
      throw error;
    });
    holder.__feedbackReplayModelSync.set(key, sync);
  }
  return sync;
}
