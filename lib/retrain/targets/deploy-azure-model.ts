import "server-only";
import { UserError } from "@/lib/errors";
import type { AzureManagement } from "@/lib/retrain/read-retrain-config";

export type AzureDeployment = {
  /** ARM's provisioningState: Accepted, Creating, Updating, Succeeded, Failed, Canceled, Deleting… */
  state: string;
  /** True when this call sent the PUT (false: the deployment already carried the model). */
  submitted: boolean;
};

const TERMINAL = new Set(["Succeeded", "Failed", "Canceled"]);

/**
 * Deploys a fine-tuned model on the Azure OpenAI resource through Azure Resource Manager, as
 * Microsoft's "deploy a fine-tuned model" REST recipe does: a token by the client-credentials grant,
 * then PUT …/accounts/{account}/deployments/{name} with the model (format OpenAI, version "1"), then
 * provisioningState read until it settles or `waitMs` passes (the caller polls again later).
 * Safe to call again: the name comes from the run, and a deployment that already carries the model
 * is only read, so a second poll never sends a second PUT. A Failed one is sent again only by a
 * new attempt (Retry), never by the poll of the attempt that sent it.
 * Errors are UserErrors that name the setting to fix.
 */
export async function deployAzureModel({
  management,
  name,
  model,
  sent,
}: {
  management: AzureManagement;
  name: string;
  model: string;
  /** This attempt already sent its PUT: a Failed state is then its answer, not one to send again. */
  sent: boolean;
}): Promise<AzureDeployment> {
  const token = await fetchManagementToken(management);
  const url = deploymentUrl(management, name);
  let current = await arm(management, token, url, { method: "GET" }, "read the deployment");
  let submitted = false;
  if (!current || current.properties?.model?.name !== model || (!sent && current.properties?.provisioningState === "Failed")) {
    const body = { sku: { name: management.sku, capacity: management.capacity }, properties: { model: { format: "OpenAI", name: model, version: "1" } } };
    current = await arm(management, token, url, { method: "PUT", body: JSON.stringify(body) }, `deploy ${model} as ${name}`);
    submitted = true;
  }
  const until = Date.now() + management.waitMs;
  while (!TERMINAL.has(stateOf(current)) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, management.pollMs));
    current = await arm(management, token, url, { method: "GET" }, "read the deployment");
  }
  return { state: stateOf(current), submitted };
}

type ArmDeployment = { properties?: { provisioningState?: string; model?: { name?: string } } } | null;

const stateOf = (d: ArmDeployment) => d?.properties?.provisioningState ?? "Accepted";

function deploymentUrl(m: AzureManagement, name: string): string {
  const path = `/subscriptions/${encodeURIComponent(m.subscriptionId)}/resourceGroups/${encodeURIComponent(m.resourceGroup)}/providers/Microsoft.CognitiveServices/accounts/${encodeURIComponent(m.account)}/deployments/${encodeURIComponent(name)}`;
  return `${m.managementURL.replace(/\/+$/, "")}${path}?api-version=${encodeURIComponent(m.apiVersion)}`;
}

const fail = (code: string, message: string, status = 502) => new UserError({ code, status, message });

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

/** OAuth2 client credentials at Microsoft Entra ID, scope Azure Resource Manager. */
async function fetchManagementToken(m: AzureManagement): Promise<string> {
  const url = `${m.loginURL.replace(/\/+$/, "")}/${encodeURIComponent(m.tenantId)}/oauth2/v2.0/token`;
  const form = new URLSearchParams({ grant_type: "client_credentials", client_id: m.clientId, client_secret: m.clientSecret, scope: `${m.managementURL.replace(/\/+$/, "")}/.default` });
  let response: Response;
  try {
    response = await fetch(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form, signal: AbortSignal.timeout(30_000) });
  } catch {
    throw fail("azure_login_unreachable", `Could not reach Microsoft Entra ID at ${hostOf(url)} to sign in the service principal. Check AZURE_LOGIN_URL and the network; the next poll tries again after Retry.`);
  }
  const body = (await response.json().catch(() => ({}))) as { access_token?: string; error?: string; error_codes?: number[] };
  if (response.ok && body.access_token) return body.access_token;
  // Entra's documented AADSTS codes say which setting is wrong; its description is not echoed.
  const codes = body.error_codes ?? [];
  const host = hostOf(url);
  if (codes.includes(7000215) || codes.includes(7000222)) {
    throw fail("azure_login_bad_secret", `Microsoft Entra ID (${host}) refused the service principal's secret (AADSTS${codes.includes(7000222) ? "7000222: expired" : "7000215: invalid"}). Set AZURE_CLIENT_SECRET to the secret's value (not its id) from a current secret of the app AZURE_CLIENT_ID, then Retry the run.`);
  }
  if (codes.includes(700016)) throw fail("azure_login_unknown_client", `Microsoft Entra ID (${host}) knows no application AZURE_CLIENT_ID in tenant AZURE_TENANT_ID (AADSTS700016). Check both, then Retry the run.`);
  if (codes.includes(90002) || codes.includes(900023)) throw fail("azure_login_unknown_tenant", `Microsoft Entra ID (${host}) knows no tenant AZURE_TENANT_ID (AADSTS${codes.includes(90002) ? 90002 : 900023}). Use the directory (tenant) id, then Retry the run.`);
  throw fail("azure_login_refused", `Microsoft Entra ID (${host}) refused to sign in the service principal (${response.status}${body.error ? ` ${body.error}` : ""}). Check AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET, then Retry the run.`);
}

/** One Azure Resource Manager call; 404 on a GET is "no such deployment yet" (null). */
async function arm(m: AzureManagement, token: string, url: string, init: { method: "GET" | "PUT"; body?: string }, step: string): Promise<ArmDeployment> {
  const host = hostOf(url);
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, signal: AbortSignal.timeout(60_000) });
  } catch {
    throw fail("azure_management_unreachable", `Could not reach Azure Resource Manager at ${host} to ${step}. Check AZURE_MANAGEMENT_URL and the network, then Retry the run.`);
  }
  const body = (await response.json().catch(() => null)) as (ArmDeployment & { error?: { code?: string; message?: string } }) | null;
  if (response.ok) return body;
  const code = body?.error?.code ?? "";
  if (response.status === 404 && init.method === "GET" && (code === "DeploymentNotFound" || code === "" || code === "NotFound")) return null;
  const where = `${m.account} in resource group ${m.resourceGroup}`;
  if (response.status === 404) {
    throw fail("azure_resource_not_found", `Azure Resource Manager found no Azure OpenAI resource ${where} of subscription AZURE_SUBSCRIPTION_ID (404 ${code}). Check AZURE_SUBSCRIPTION_ID, AZURE_RESOURCE_GROUP and AZURE_OPENAI_ACCOUNT (the resource name), then Retry the run.`);
  }
  if (response.status === 401) throw fail("azure_management_unauthorized", `Azure Resource Manager (${host}) did not accept the service principal's token (401 ${code}). Check that AZURE_TENANT_ID is the tenant of subscription AZURE_SUBSCRIPTION_ID, then Retry the run.`);
  if (response.status === 403) {
    throw fail("azure_management_forbidden", `The service principal AZURE_CLIENT_ID may not ${step} on ${where} (403 ${code}). Give it the Cognitive Services Contributor role on the resource (or a role with Microsoft.CognitiveServices/accounts/deployments/write), then Retry the run.`);
  }
  if (response.status === 429) throw fail("azure_management_rate_limited", `Azure Resource Manager is rate-limiting requests (429) when asked to ${step}. Retry the run in a few minutes.`, 503);
  if (response.status >= 500) throw fail("azure_management_failed", `Azure Resource Manager failed with status ${response.status} when asked to ${step}. Retry the run later; the fine-tuned model is kept.`);
  // 400/409: quota, SKU or model not deployable here; ARM's text describes our request, never customer text.
  throw fail("azure_deployment_refused", `Azure refused to ${step} (${response.status}${code ? ` ${code}` : ""}): ${(body?.error?.message ?? "").slice(0, 300)} Check AZURE_DEPLOYMENT_SKU and AZURE_DEPLOYMENT_CAPACITY against the resource's quota for fine-tuned models, then Retry the run.`);
}
