import "server-only";
import { describeEndpoint } from "@/lib/ai/read-ai-config";
import { createOpenAIClient } from "@/lib/ai/openai-provider";
import { UserError } from "@/lib/errors";
import type { RemoteTarget, TargetName } from "@/lib/retrain/fine-tune-target";
import type { RetrainConfig } from "@/lib/retrain/read-retrain-config";
import { createFireworksTarget } from "@/lib/retrain/targets/create-fireworks-target";
import { createOpenAIFamilyTarget } from "@/lib/retrain/targets/create-openai-family-target";
import { createTogetherTarget } from "@/lib/retrain/targets/create-together-target";

const missing = (target: string, what: string) =>
  new UserError({ code: "provider_not_configured", status: 409, message: `FINE_TUNE_TARGET=${target} needs ${what} (see the README's recipe for it).` });

/** The remote target a run sends its datasets to, from the configuration. Local and manual are not remote. */
export function createFineTuneTarget(target: TargetName, config: RetrainConfig): RemoteTarget {
  const serving = config.ai.serving ?? {};
  switch (target) {
    case "together": {
      const p = config.providers.together;
      if (!p) throw missing(target, "TOGETHER_API_KEY");
      return createTogetherTarget({ ...p, serving: serving.together ?? null });
    }
    case "fireworks": {
      const p = config.providers.fireworks;
      if (!p) throw missing(target, "FIREWORKS_API_KEY and FIREWORKS_ACCOUNT_ID");
      return createFireworksTarget({ ...p, serving: serving.fireworks ?? null, filePollMs: config.filePollMs });
    }
    case "azure": {
      const p = config.providers.azure;
      if (!p) throw missing(target, "AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_API_KEY");
      return createOpenAIFamilyTarget({ name: "azure", endpoint: p.endpoint, apiKey: p.apiKey, apiVersion: p.apiVersion, serving: serving.azure ?? null, filePollMs: config.filePollMs });
    }
    case "openai-compatible": {
      const p = config.providers.compatible;
      if (!p) throw missing(target, "FINE_TUNE_BASE_URL");
      const openai = { apiKey: p.apiKey, baseURL: p.baseURL, model: config.baseModel, analysisModel: config.baseModel, timeoutMs: 60_000, maxRetries: 2 };
      return createOpenAIFamilyTarget({ name: target, client: createOpenAIClient(openai), host: describeEndpoint(openai), serving: serving["openai-compatible"] ?? null, filePollMs: config.filePollMs });
    }
    case "openai": {
      const openai = config.ai.openai;
      if (!openai) throw missing(target, "OPENAI_API_KEY (or OPENAI_BASE_URL)");
      return createOpenAIFamilyTarget({ name: target, client: createOpenAIClient(openai), host: describeEndpoint(openai), serving: openai, filePollMs: config.filePollMs });
    }
    default:
      throw new Error(`${target} is not a remote fine-tune target`);
  }
}
