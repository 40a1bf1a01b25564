import "server-only";
import { readAiConfig, type AiConfig } from "@/lib/ai/read-ai-config";
import { readEnv, type Env } from "@/lib/env";
import { METHODS_BY_TARGET, TARGET_NAMES, type RunMethod, type TargetName } from "@/lib/retrain/fine-tune-target";

/**
 * What deploying a fine-tuned model through Azure Resource Manager takes: a service principal
 * (client-credentials grant) and the resource's subscription, group and name. Null when any is
 * unset: the run then waits for a manager to deploy the model by hand.
 */
export type AzureManagement = {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  subscriptionId: string;
  resourceGroup: string;
  account: string;
  sku: string;
  capacity: number;
  apiVersion: string;
  loginURL: string;
  managementURL: string;
  /** How often to read the deployment's provisioningState, and for how long within one poll (tests: 1 ms). */
  pollMs: number;
  waitMs: number;
};

export type RetrainConfig = {
  mode: "review" | "upload";
  target: TargetName;
  /** What the target trains each week (FINE_TUNE_METHOD, else the target's default). */
  method: RunMethod;
  baseModel: string;
  epochs: number | "auto";
  suffix: string;
  autoPromote: boolean;
  evalExamples: number;
  /** How often to check an uploaded file's processing (tests: 1 ms). */
  filePollMs: number;
  /** A job running longer is cancelled at the provider and the run recorded as timed out. */
  jobTimeoutMs: number;
  /** USD per million training tokens, per target: FINE_TUNE_PRICES only (local: 0); a target without one has no estimate. */
  prices: Partial<Record<TargetName, number>>;
  /** The targets' connection settings (keys stay here, never in messages). */
  providers: {
    together: { apiKey: string; baseURL: string } | null;
    fireworks: { apiKey: string; accountId: string; baseURL: string } | null;
    azure: { endpoint: string; apiKey: string; apiVersion: string; management: AzureManagement | null } | null;
    compatible: { baseURL: string; apiKey: string } | null;
  };
  /** The AI settings: `ai.openai` is the provider for uploads, replies and the pairwise judgement (null without one). */
  ai: AiConfig;
};

/**
 * Training prices by default: none for the providers. Their rates per 1M tokens depend on the base
 * model's size, the method (DPO costs more than SFT at Together) and LoRA or full training, and
 * they change; a single number per target would be made up. So a provider's estimate says "price
 * not configured" until FINE_TUNE_PRICES names its rate. The local target trains on this machine.
 */
export const DEFAULT_PRICES: Partial<Record<TargetName, number>> = { local: 0 };

export function readRetrainConfig(env: Env = readEnv()): RetrainConfig {
  const ai = readAiConfig(env);
  const openai = ai.openai;
  const target: TargetName = env.FINE_TUNE_TARGET ?? (openai ? "openai" : "local");
  const methods = METHODS_BY_TARGET[target];
  const method = env.FINE_TUNE_METHOD ?? methods.default;
  if (!methods.allowed.includes(method)) {
    throw new Error(`FINE_TUNE_METHOD=${method} is not something FINE_TUNE_TARGET=${target} trains; choose ${methods.allowed.join(" or ")}.`);
  }
  const prices = { ...DEFAULT_PRICES };
  for (const pair of env.FINE_TUNE_PRICES?.split(",") ?? []) {
    const [name, value] = pair.split("=");
    if (!(TARGET_NAMES as readonly string[]).includes(name!)) throw new Error(`FINE_TUNE_PRICES names ${name}, which is not a target; use ${TARGET_NAMES.join(", ")}.`);
    prices[name as TargetName] = Number(value);
  }
  return {
    mode: env.RETRAIN_MODE,
    target,
    method,
    baseModel: env.FINE_TUNE_BASE_MODEL,
    epochs: env.FINE_TUNE_EPOCHS,
    suffix: env.FINE_TUNE_SUFFIX,
    autoPromote: env.AUTO_PROMOTE,
    evalExamples: env.RETRAIN_EVAL_EXAMPLES,
    filePollMs: 5_000,
    jobTimeoutMs: env.FINE_TUNE_TIMEOUT_HOURS * 3_600_000,
    prices,
    providers: {
      together: env.TOGETHER_API_KEY ? { apiKey: env.TOGETHER_API_KEY, baseURL: env.TOGETHER_API_BASE_URL } : null,
      fireworks: env.FIREWORKS_API_KEY && env.FIREWORKS_ACCOUNT_ID ? { apiKey: env.FIREWORKS_API_KEY, accountId: env.FIREWORKS_ACCOUNT_ID, baseURL: env.FIREWORKS_BASE_URL } : null,
      azure: env.AZURE_OPENAI_ENDPOINT && env.AZURE_OPENAI_API_KEY ? { endpoint: env.AZURE_OPENAI_ENDPOINT, apiKey: env.AZURE_OPENAI_API_KEY, apiVersion: env.AZURE_OPENAI_API_VERSION, management: readAzureManagement(env) } : null,
      compatible: env.FINE_TUNE_BASE_URL ? { baseURL: env.FINE_TUNE_BASE_URL, apiKey: env.FINE_TUNE_API_KEY ?? "no-key-needed" } : null,
    },
    ai,
  };
}

export function readAzureManagement(env: Env): AzureManagement | null {
  const { AZURE_TENANT_ID: tenantId, AZURE_CLIENT_ID: clientId, AZURE_CLIENT_SECRET: clientSecret, AZURE_SUBSCRIPTION_ID: subscriptionId, AZURE_RESOURCE_GROUP: resourceGroup, AZURE_OPENAI_ACCOUNT: account } = env;
  if (!tenantId || !clientId || !clientSecret || !subscriptionId || !resourceGroup || !account) return null;
  return {
    tenantId,
    clientId,
    clientSecret,
    subscriptionId,
    resourceGroup,
    account,
    sku: env.AZURE_DEPLOYMENT_SKU,
    capacity: env.AZURE_DEPLOYMENT_CAPACITY,
    apiVersion: env.AZURE_MANAGEMENT_API_VERSION,
    loginURL: env.AZURE_LOGIN_URL,
    managementURL: env.AZURE_MANAGEMENT_URL,
    pollMs: 10_000,
    // The cron route may run 300 s; a deployment still provisioning then is checked on the next poll.
    waitMs: 120_000,
  };
}
