/** A registered model version as the app passes it around (no server-only: the UI shows it). */
export type ModelVersion = {
  id: string;
  /** local: in this process. openai: an OpenAI-compatible chat API, the one `servedBy` names. */
  provider: "local" | "openai";
  /** Which chat API answers for an "openai" version: OpenAI itself, or the fine-tune target that trained it (issue 13). */
  servedBy?: "openai" | "together" | "fireworks" | "azure" | "openai-compatible";
  name: string;
  version: string;
  /** `name@version`, stored with every suggestion in feedback_replay_log.model. */
  label: string;
};

export const LOCAL_MODEL = { provider: "local", name: "local-retrieval", version: "v1" } as const;

export function modelLabel({ name, version }: { name: string; version: string }): string {
  return `${name}@${version}`;
}

export function toModelVersion(row: { id: string; provider: string; name: string; version: string }): ModelVersion {
  return {
    id: row.id,
    provider: row.provider === "local" ? "local" : "openai",
    ...(row.provider === "local" ? {} : { servedBy: row.provider as NonNullable<ModelVersion["servedBy"]> }),
    name: row.name,
    version: row.version,
    label: modelLabel(row),
  };
}
