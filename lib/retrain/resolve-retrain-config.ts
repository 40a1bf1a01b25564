import "server-only";
import { getPool } from "@/lib/db/client";
import { readEnv, type Env } from "@/lib/env";
import type { RunMethod, TargetName } from "@/lib/retrain/fine-tune-target";
import { readRetrainConfig, type RetrainConfig } from "@/lib/retrain/read-retrain-config";

/** Where the target and method in force come from: the environment, or a manager on /retrain. */
export type RetrainConfigSource =
  | { kind: "configuration" }
  | { kind: "page"; updatedAt: Date; updatedByEmail: string | null; baseModelChosen: boolean };

export type ResolvedRetrainConfig = {
  config: RetrainConfig;
  source: RetrainConfigSource;
  /** What the environment alone says (shown beside a page choice, and what "Use the configuration" goes back to). */
  configured: Pick<RetrainConfig, "target" | "method" | "baseModel">;
};

const SETTING_SQL = `
SELECT s.target, s.method, s.base_model, s.updated_at, u.email AS updated_by_email
FROM retrain_settings s LEFT JOIN users u ON u.id = s.updated_by WHERE s.id = 1`;

/**
 * The retrain settings in force: the environment's (readRetrainConfig), with a manager's choice
 * from /retrain (the retrain_settings row) over its target, method and base model. The page, the
 * cron routes and the CLI all call this, so they send the same week to the same place. One read.
 */
export async function resolveRetrainConfig(env: Env = readEnv()): Promise<ResolvedRetrainConfig> {
  const base = readRetrainConfig(env);
  const configured = { target: base.target, method: base.method, baseModel: base.baseModel };
  const { rows } = await getPool().query<{ target: TargetName; method: RunMethod; base_model: string | null; updated_at: Date; updated_by_email: string | null }>(SETTING_SQL);
  const row = rows[0];
  if (!row) return { config: base, source: { kind: "configuration" }, configured };
  return {
    config: { ...base, target: row.target, method: row.method, baseModel: row.base_model ?? base.baseModel },
    source: { kind: "page", updatedAt: row.updated_at, updatedByEmail: row.updated_by_email, baseModelChosen: row.base_model !== null },
    configured,
  };
}
