import "server-only";
import { readEnv, type Env } from "@/lib/env";
import { TARGET_LABELS, TARGET_NAMES, type TargetName } from "@/lib/retrain/fine-tune-target";

export type TargetReadiness = { target: TargetName; label: string; ready: boolean; missing: string[] };

/**
 * Which targets this deployment can send a dataset to: a target is ready when every environment
 * variable it needs is set (the same conditions createFineTuneTarget checks through the config);
 * `missing` names the unset ones. Only names, never values.
 */
export function listTargetReadiness(env: Env = readEnv()): TargetReadiness[] {
  return TARGET_NAMES.map((target) => {
    const missing = missingFor(target, env);
    return { target, label: TARGET_LABELS[target], ready: missing.length === 0, missing };
  });
}

function missingFor(target: TargetName, env: Env): string[] {
  const unset = (...names: (keyof Env)[]) => names.filter((name) => !env[name]) as string[];
  switch (target) {
    case "together":
      return unset("TOGETHER_API_KEY");
    case "fireworks":
      return unset("FIREWORKS_API_KEY", "FIREWORKS_ACCOUNT_ID");
    case "azure":
      return unset("AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_API_KEY");
    case "openai-compatible":
      return unset("FINE_TUNE_BASE_URL");
    case "openai":
      // The OpenAI target uploads with the app's own OpenAI settings (lib/ai/read-ai-config.ts).
      if (env.AI_PROVIDER === "local") return ["AI_PROVIDER=auto or openai (it is local)"];
      return env.OPENAI_API_KEY || env.OPENAI_BASE_URL ? [] : ["OPENAI_API_KEY (or OPENAI_BASE_URL)"];
    case "local":
    case "manual":
      return [];
  }
}
