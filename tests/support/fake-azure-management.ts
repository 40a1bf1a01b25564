import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";

/**
 * Microsoft Entra ID's token endpoint (OAuth2 client credentials) and Azure Resource Manager's
 * Cognitive Services deployments, as the app sees them: POST /{tenant}/oauth2/v2.0/token with a
 * form, then GET / PUT /subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.CognitiveServices/
 * accounts/{a}/deployments/{name}?api-version=… with a Bearer token. A new deployment is "Creating"
 * and settles after `readsToSettle` GETs: Succeeded, or Failed while `failDeployments` is set.
 * Errors have Entra's and ARM's shapes (error_codes with AADSTS numbers; { error: { code, message } }).
 */
export type FakeDeployment = { name: string; sku: { name: string; capacity?: number }; model: { format: string; name: string; version: string }; state: string; reads: number; fail: boolean };

export async function startFakeAzureManagement({
  tenantId = "tenant-fake",
  clientId = `app-${randomUUID()}`,
  clientSecret = `secret-${randomUUID()}`,
  subscriptionId = randomUUID(),
  resourceGroup = "rg-feedback",
  account = "fake-openai-resource",
} = {}) {
  const tokens = new Set<string>();
  const deployments = new Map<string, FakeDeployment>();
  const requests: { method: string; path: string; apiVersion: string | null; body: unknown }[] = [];
  const script: { readsToSettle: number; failDeployments: boolean } = { readsToSettle: 2, failDeployments: false };
  let baseURL = "";

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const armError = (res: http.ServerResponse, status: number, code: string, message: string) => json(res, status, { error: { code, message } });
  const aadError = (res: http.ServerResponse, status: number, error: string, code: number, description: string) =>
    json(res, status, { error, error_description: `AADSTS${code}: ${description} Trace ID: ${randomUUID()}`, error_codes: [code], timestamp: new Date().toISOString() });
  const armObject = (d: FakeDeployment) => ({
    id: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.CognitiveServices/accounts/${account}/deployments/${d.name}`,
    type: "Microsoft.CognitiveServices/accounts/deployments",
    name: d.name,
    sku: d.sku,
    properties: { model: d.model, provisioningState: d.state },
  });

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const text = await new Response(Readable.toWeb(req) as ReadableStream).text().catch(() => "");
    const body = text && req.headers["content-type"]?.includes("json") ? JSON.parse(text) : Object.fromEntries(new URLSearchParams(text));
    requests.push({ method: req.method ?? "", path: url.pathname, apiVersion: url.searchParams.get("api-version"), body });

    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
    if (token && req.method === "POST") {
      if (token[1] !== tenantId) return aadError(res, 400, "invalid_request", 90002, `Tenant '${token[1]}' not found.`);
      if (body.grant_type !== "client_credentials") return aadError(res, 400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.");
      if (body.client_id !== clientId) return aadError(res, 400, "unauthorized_client", 700016, `Application with identifier '${body.client_id}' was not found in the directory.`);
      if (body.client_secret !== clientSecret) return aadError(res, 401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.");
      if (body.scope !== `${baseURL}/.default`) return aadError(res, 400, "invalid_scope", 70011, `The provided value for scope ${body.scope} is not valid.`);
      const accessToken = `eyFake.${randomUUID()}`;
      tokens.add(accessToken);
      return json(res, 200, { token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, access_token: accessToken });
    }

    const arm = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.CognitiveServices\/accounts\/([^/]+)\/deployments\/([^/]+)$/.exec(url.pathname);
    if (!arm) return armError(res, 404, "NotFound", `No route ${req.method} ${url.pathname}`);
    const bearer = req.headers.authorization?.replace(/^Bearer /, "") ?? "";
    if (!tokens.has(bearer)) return armError(res, 401, "InvalidAuthenticationToken", "The access token is invalid.");
    if (!url.searchParams.get("api-version")) return armError(res, 400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
    if (arm[1] !== subscriptionId) return armError(res, 404, "SubscriptionNotFound", `The subscription '${arm[1]}' could not be found.`);
    if (arm[2] !== resourceGroup) return armError(res, 404, "ResourceGroupNotFound", `Resource group '${arm[2]}' could not be found.`);
    if (arm[3] !== account) return armError(res, 404, "ResourceNotFound", `The Resource 'Microsoft.CognitiveServices/accounts/${arm[3]}' under resource group '${arm[2]}' was not found.`);
    const name = decodeURIComponent(arm[4]!);
    if (req.method === "GET") {
      const d = deployments.get(name);
      if (!d) return armError(res, 404, "DeploymentNotFound", `Deployment '${name}' not found.`);
      if (d.state === "Creating" && ++d.reads >= script.readsToSettle) d.state = d.fail ? "Failed" : "Succeeded";
      return json(res, 200, armObject(d));
    }
    if (req.method === "PUT") {
      const model = body?.properties?.model;
      if (!body?.sku?.name) return armError(res, 400, "InvalidResourceProperties", "The specified SKU is required.");
      if (model?.format !== "OpenAI" || !model?.name || model?.version !== "1") return armError(res, 400, "InvalidResourceProperties", "The model format, name and version are required.");
      const existed = deployments.has(name);
      const d: FakeDeployment = { name, sku: body.sku, model, state: "Creating", reads: 0, fail: script.failDeployments };
      deployments.set(name, d);
      return json(res, existed ? 200 : 201, armObject(d));
    }
    return armError(res, 405, "MethodNotAllowed", `${req.method} is not supported here.`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const puts = () => requests.filter((r) => r.method === "PUT");
  return {
    baseURL,
    tenantId,
    clientId,
    clientSecret,
    subscriptionId,
    resourceGroup,
    account,
    deployments,
    requests,
    puts,
    script,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
