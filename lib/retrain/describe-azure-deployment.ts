import "server-only";
import { readEnv, type Env } from "@/lib/env";
import { deploymentNameFor } from "@/lib/retrain/advance-azure-deployment";
import type { RetrainRun } from "@/lib/retrain/runs";

export type ManualDeployment = {
  /** The name the app would give the deployment (prefilled in the form). */
  suggestedName: string;
  /** The Azure CLI command that deploys the run's fine-tuned model; unknown parts as <placeholders>. */
  command: string;
  /** What to set so that the next runs deploy themselves. */
  forAutomatic: string[];
};

const MANAGEMENT = ["AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_SUBSCRIPTION_ID", "AZURE_RESOURCE_GROUP", "AZURE_OPENAI_ACCOUNT"] as const;

/** What /retrain shows for an Azure run waiting for a manager to deploy its model. Reads only. */
export function describeAzureDeployment(run: Pick<RetrainRun, "isoWeek" | "fineTunedModel">, env: Env = readEnv()): ManualDeployment {
  const suggestedName = deploymentNameFor(run);
  const account = env.AZURE_OPENAI_ACCOUNT ?? accountFromEndpoint(env.AZURE_OPENAI_ENDPOINT) ?? "<resource-name>";
  const command = [
    "az cognitiveservices account deployment create",
    `--resource-group ${env.AZURE_RESOURCE_GROUP ?? "<resource-group>"}`,
    `--name ${account}`,
    `--deployment-name ${suggestedName}`,
    `--model-name ${run.fineTunedModel ?? "<fine-tuned-model>"}`,
    "--model-version 1",
    "--model-format OpenAI",
    `--sku-name ${env.AZURE_DEPLOYMENT_SKU}`,
    `--sku-capacity ${env.AZURE_DEPLOYMENT_CAPACITY}`,
  ].join(" \\\n  ");
  return { suggestedName, command, forAutomatic: MANAGEMENT.filter((name) => !env[name]) };
}

/** https://my-resource.openai.azure.com → my-resource. */
function accountFromEndpoint(endpoint: string | undefined): string | null {
  if (!endpoint) return null;
  try {
    const host = new URL(endpoint).hostname;
    return /\.(openai|cognitiveservices)\.azure\.com$/.test(host) ? host.split(".")[0]! : null;
  } catch {
    return null;
  }
}
