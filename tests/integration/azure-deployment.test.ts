import { randomInt } from "node:crypto";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import RetrainPage from "@/app/retrain/page";
import { recordAzureDeploymentAction } from "@/app/retrain/actions";
import { RetrainRunsPanel } from "@/app/dashboard/retrain-runs-panel";
import type { AiConfig } from "@/lib/ai/read-ai-config";
import { listRetrainRuns } from "@/lib/analytics/list-retrain-runs";
import { dashboardFiltersSchema } from "@/lib/analytics/schemas";
import { getPool } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/env";
import { readRetrainConfig, type AzureManagement, type RetrainConfig } from "@/lib/retrain/read-retrain-config";
import { recordAzureDeployment } from "@/lib/retrain/record-azure-deployment";
import { pollFineTunes, resumeRun, runRetrain } from "@/lib/retrain/run-retrain";
import { getRun, listEvaluations, type RetrainRun } from "@/lib/retrain/runs";
import { openaiConfig } from "../support/ai";
import { startFakeAzureManagement } from "../support/fake-azure-management";
import { startFakeFineTuningServer } from "../support/fake-openai-fine-tuning";
import { startFakeOpenAI, type FakeOpenAI } from "../support/fake-openai";
import { createUser } from "../support/factories";
import { useOwnDatabase } from "../support/own-database";
import { useSessionEnv } from "../support/session-env";
import { storeQuestionReplays, uniqueQuestion } from "../support/training-factories";
import { withRequestHeaders } from "../security/support/request-scope";
import { sessionCookie } from "../security/support/sessions";

vi.mock("next/headers", async () => (await import("../security/support/session-seam")).nextHeaders);
vi.mock("next-auth", async (original) => (await import("../security/support/session-seam")).withRequestSession(await original()));
vi.mock("next/cache", async (original) => ({ ...(await original<Record<string, unknown>>()), revalidatePath: () => {}, revalidateTag: () => {} }));

// A database of its own: one run per ISO week, and the polls below act on every run deploying.
useOwnDatabase("azure_deploy");
const SECRET = useSessionEnv();

let chat: FakeOpenAI;
let files: Awaited<ReturnType<typeof startFakeFineTuningServer>>;
let azure: Awaited<ReturnType<typeof startFakeAzureManagement>>;
const since = new Date(Date.now() - 3_600_000);
const nextWeek = () => new Date(Date.UTC(3000 + randomInt(0, 7000), 0, 1 + randomInt(0, 364)));

beforeAll(async () => {
  [chat, files, azure] = await Promise.all([startFakeOpenAI(), startFakeFineTuningServer(), startFakeAzureManagement()]);
  for (let q = 0; q < 3; q++) await storeQuestionReplays({ question: uniqueQuestion(), no: 8 });
});
afterAll(async () => {
  await Promise.all([chat.close(), files.close(), azure.close()]);
});

/** Azure's chat API, as the fake: the deployment's name is the model it is called with. */
const served = (): NonNullable<AiConfig["serving"]>["azure"] => ({ apiKey: chat.apiKey, baseURL: chat.baseURL, model: "gpt-fake", analysisModel: "gpt-fake", timeoutMs: 5_000, maxRetries: 0 });

const management = (overrides: Partial<AzureManagement> = {}): AzureManagement => ({
  tenantId: azure.tenantId,
  clientId: azure.clientId,
  clientSecret: azure.clientSecret,
  subscriptionId: azure.subscriptionId,
  resourceGroup: azure.resourceGroup,
  account: azure.account,
  sku: "standard",
  capacity: 1,
  apiVersion: "2024-10-01",
  loginURL: azure.baseURL,
  managementURL: azure.baseURL,
  pollMs: 1,
  // One step per poll: the tests see the run deploying between polls.
  waitMs: 0,
  ...overrides,
});

const config = (m: AzureManagement | null, overrides: Partial<RetrainConfig> = {}): RetrainConfig => ({
  ...readRetrainConfig(),
  mode: "upload",
  target: "azure",
  method: "sft",
  baseModel: "gpt-4.1-mini-2025-04-14",
  ai: { ...openaiConfig(chat, { maxRetries: 0 }), serving: { azure: served() } },
  evalExamples: 2,
  filePollMs: 1,
  autoPromote: false,
  providers: {
    together: null,
    fireworks: null,
    azure: { endpoint: files.baseURL.replace(/\/v1$/, ""), apiKey: "azure-test-key", apiVersion: "2025-04-01-preview", management: m },
    compatible: null,
  },
  ...overrides,
});

async function startRun(cfg: RetrainConfig, now = nextWeek()): Promise<RetrainRun> {
  const outcome = await runRetrain({ trigger: "cron", now, since, threshold: 2, config: cfg });
  if (outcome.status !== "done" || outcome.run.status !== "training") throw new Error(`not training: ${JSON.stringify(outcome)}`);
  return outcome.run;
}

/** Polls like the cron route until the run leaves `statuses`; each poll of the fakes advances them one step. */
async function pollWhile(runId: string, cfg: RetrainConfig, statuses: RetrainRun["status"][]) {
  const seen: RetrainRun["status"][] = [];
  for (let i = 0; i < 12; i++) {
    const current = (await getRun(runId))!;
    seen.push(current.status);
    if (!statuses.includes(current.status)) return { run: current, seen };
    await pollFineTunes({ config: cfg });
  }
  return { run: (await getRun(runId))!, seen };
}

const deploymentOf = (run: RetrainRun) => `feedback-replay-${run.isoWeek.toLowerCase()}`;

describe("Azure: the app deploys the fine-tuned model (management credentials)", () => {
  it("deploys it as feedback-replay-<week>, waits for Succeeded over several polls with one PUT, then evaluates the deployment", async () => {
    const cfg = config(management());
    const started = await startRun(cfg);
    const putsBefore = azure.puts().length;
    const { run: done, seen } = await pollWhile(started.id, cfg, ["training", "deploying"]);
    const name = deploymentOf(started);
    expect(seen).toContain("deploying");
    expect(seen.filter((s) => s === "deploying").length).toBeGreaterThan(1); // polled again while Creating
    expect(done).toMatchObject({ status: "succeeded", deploymentName: name });
    expect(done.fineTunedModel).toMatch(/^ft:gpt-4.1-mini-2025-04-14:/);

    const puts = azure.puts().slice(putsBefore);
    expect(puts).toHaveLength(1); // the later polls only read provisioningState
    expect(puts[0]!.apiVersion).toBe("2024-10-01");
    expect(puts[0]!.body).toEqual({ sku: { name: "standard", capacity: 1 }, properties: { model: { format: "OpenAI", name: done.fineTunedModel, version: "1" } } });
    expect(azure.deployments.get(name)).toMatchObject({ state: "Succeeded", model: { name: done.fineTunedModel } });

    const token = azure.requests.find((r) => r.path === `/${azure.tenantId}/oauth2/v2.0/token`)!;
    expect(token.body).toMatchObject({ grant_type: "client_credentials", client_id: azure.clientId, scope: `${azure.baseURL}/.default` });

    const [evaluation] = await listEvaluations([done.id]);
    const { rows } = await getPool().query("SELECT provider, name, version FROM model_versions WHERE id = $1", [done.candidateModelVersionId]);
    expect(rows[0]).toEqual({ provider: "azure", name, version: done.isoWeek }); // the chat API is called with the deployment
    expect(evaluation?.candidateVersionId).toBe(done.candidateModelVersionId);

    // Another poll (the cron fires again) finds nothing to deploy.
    await pollFineTunes({ config: cfg });
    expect(azure.puts().length).toBe(putsBefore + 1);
  });

  it("a failed provisioning fails the run with what to check; Retry deploys again without training again", async () => {
    const cfg = config(management());
    const started = await startRun(cfg);
    azure.script.failDeployments = true;
    const { run: failed } = await pollWhile(started.id, cfg, ["training", "deploying"]);
    azure.script.failDeployments = false;
    expect(failed.status).toBe("failed");
    expect(failed.error).toBe(
      `Azure could not deploy ${failed.fineTunedModel} as ${deploymentOf(started)} (provisioningState Failed). Check the resource's quota and region for standard deployments of fine-tuned models (AZURE_DEPLOYMENT_SKU, AZURE_DEPLOYMENT_CAPACITY), then Retry: it deploys again without training again.`,
    );
    expect(failed.candidateModelVersionId).toBeNull();
    expect(failed.fineTuneJobId).toBe(started.fineTuneJobId); // kept for the retry

    const jobsBefore = files.jobs.size;
    const putsBefore = azure.puts().length;
    const resumed = await resumeRun({ runId: started.id, trigger: "manager", config: cfg });
    expect(resumed).toMatchObject({ status: "training", fineTuneJobId: started.fineTuneJobId });
    const { run: done } = await pollWhile(started.id, cfg, ["training", "deploying"]);
    expect(done.status).toBe("succeeded");
    expect(files.jobs.size).toBe(jobsBefore);
    expect(azure.puts().length).toBe(putsBefore + 1); // the Failed deployment is sent again, once
  });

  it("a refused secret fails the run naming AZURE_CLIENT_SECRET, deploys nothing; with the right secret Retry deploys once", async () => {
    const bad = config(management({ clientSecret: "the-secret-id-not-its-value" }));
    const started = await startRun(bad);
    const putsBefore = azure.puts().length;
    const { run: failed } = await pollWhile(started.id, bad, ["training", "deploying"]);
    expect(failed.status).toBe("failed");
    expect(failed.error).toBe(
      `Microsoft Entra ID (${new URL(azure.baseURL).host}) refused the service principal's secret (AADSTS7000215: invalid). Set AZURE_CLIENT_SECRET to the secret's value (not its id) from a current secret of the app AZURE_CLIENT_ID, then Retry the run.`,
    );
    expect(failed.error).not.toContain("the-secret-id-not-its-value");
    expect(azure.puts().length).toBe(putsBefore);

    const good = config(management());
    await resumeRun({ runId: started.id, trigger: "manager", config: good });
    const { run: done } = await pollWhile(started.id, good, ["training", "deploying"]);
    expect(done).toMatchObject({ status: "succeeded", deploymentName: deploymentOf(started) });
    expect(azure.puts().length).toBe(putsBefore + 1);
  });

  it("a wrong resource group is named in the message", async () => {
    const cfg = config(management({ resourceGroup: "rg-typo" }));
    const started = await startRun(cfg);
    const { run: failed } = await pollWhile(started.id, cfg, ["training", "deploying"]);
    expect(failed.status).toBe("failed");
    expect(failed.error).toContain("Check AZURE_SUBSCRIPTION_ID, AZURE_RESOURCE_GROUP and AZURE_OPENAI_ACCOUNT");
    expect(failed.error).toContain("rg-typo");
  });
});

describe("Azure without management credentials: a manager deploys the model", () => {
  it("waits visibly however often the poll runs, then evaluates the deployment the manager entered", async () => {
    const cfg = config(null);
    const week = nextWeek();
    const started = await startRun(cfg, week);
    const { run: waiting } = await pollWhile(started.id, cfg, ["training"]);
    expect(waiting).toMatchObject({ status: "awaiting_deployment", deploymentName: null, error: null });
    // A timeout of zero: a run waiting for a manager is still not failed or timed out by the poll.
    for (let i = 0; i < 3; i++) await pollFineTunes({ config: { ...cfg, jobTimeoutMs: 0 } });
    expect((await getRun(started.id))!.status).toBe("awaiting_deployment");
    // The weekly job fired again in that week: the run is not resumed or restarted.
    const again = await runRetrain({ trigger: "cron", now: week, since, threshold: 2, config: cfg });
    expect(again).toMatchObject({ status: "already-ran", run: { id: started.id, status: "awaiting_deployment" } });

    // What /retrain shows for it, and the dashboard's runs panel.
    const manager = await createUser("manager");
    const cookie = await sessionCookie({ id: manager.id, email: manager.email, name: manager.name ?? "M", role: "manager" }, SECRET);
    vi.stubEnv("AZURE_OPENAI_ENDPOINT", "https://my-resource.openai.azure.com");
    vi.stubEnv("AZURE_OPENAI_API_KEY", "k");
    vi.stubEnv("AZURE_RESOURCE_GROUP", "rg-support");
    resetEnvCache();
    try {
      const html = renderToStaticMarkup(await withRequestHeaders(new Headers({ cookie }), () => RetrainPage()));
      expect(html).toContain("Deploy the model in Azure");
      expect(html).toContain(waiting.fineTunedModel!);
      expect(html).toContain(
        `az cognitiveservices account deployment create \\\n  --resource-group rg-support \\\n  --name my-resource \\\n  --deployment-name ${deploymentOf(started)} \\\n  --model-name ${waiting.fineTunedModel} \\\n  --model-version 1 \\\n  --model-format OpenAI \\\n  --sku-name standard \\\n  --sku-capacity 1`,
      );
      expect(html).toContain(">awaiting_deployment<");
      expect(html).toContain("AZURE_TENANT_ID");
    } finally {
      // Empty means unset (lib/env.ts); unstubAllEnvs would also drop the session's secret.
      for (const name of ["AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_API_KEY", "AZURE_RESOURCE_GROUP"]) vi.stubEnv(name, "");
      resetEnvCache();
    }
    const rows = await listRetrainRuns(dashboardFiltersSchema.parse({}));
    const panel = renderToStaticMarkup(RetrainRunsPanel({ data: rows.filter((r) => r.id === started.id) }));
    expect(panel).toContain("azure · awaiting_deployment");

    const name = `support-ft-${randomInt(1e6)}`;
    chat.models.add(name);
    const done = await recordAzureDeployment({ runId: started.id, deploymentName: name, actor: { type: "user", id: manager.id, email: manager.email }, config: cfg });
    expect(done).toMatchObject({ status: "succeeded", deploymentName: name });
    const [evaluation] = await listEvaluations([done.id]);
    expect(evaluation?.candidateVersionId).toBe(done.candidateModelVersionId);
    const audit = await getPool().query("SELECT actor_id, details FROM audit_log WHERE action = 'retrain.deployment' AND target = $1", [done.isoWeek]);
    expect(audit.rows).toEqual([{ actor_id: manager.id, details: { runId: done.id, deployment: name, model: done.fineTunedModel } }]);
    await expect(recordAzureDeployment({ runId: started.id, deploymentName: name, actor: { type: "user", id: manager.id, email: manager.email }, config: cfg })).rejects.toMatchObject({ status: 409 });
  });

  it("the action: an agent is refused and nothing changes; a bad name is refused; a manager's name is recorded and audited", async () => {
    const cfg = config(null);
    const started = await startRun(cfg);
    await pollWhile(started.id, cfg, ["training"]);
    const call = async (role: "agent" | "manager", input: unknown) => {
      const user = await createUser(role);
      const cookie = await sessionCookie({ id: user.id, email: user.email, name: user.name ?? "U", role }, SECRET);
      return { user, result: await withRequestHeaders(new Headers({ cookie }), () => recordAzureDeploymentAction(input)) };
    };
    const refused = await call("agent", { runId: started.id, deploymentName: "whatever-1" });
    expect(refused.result).toMatchObject({ ok: false, code: "forbidden" });
    expect((await getRun(started.id))!).toMatchObject({ status: "awaiting_deployment", deploymentName: null });

    const bad = await call("manager", { runId: started.id, deploymentName: "has spaces; rm -rf" });
    expect(bad.result).toMatchObject({ ok: false, code: "invalid_input" });
    expect((await getRun(started.id))!.status).toBe("awaiting_deployment");

    const { user, result } = await call("manager", { runId: started.id, deploymentName: "support-ft-action" });
    expect(result.ok).toBe(true);
    const run = (await getRun(started.id))!;
    expect(run.deploymentName).toBe("support-ft-action");
    expect(run.status).not.toBe("awaiting_deployment");
    const { rows } = await getPool().query("SELECT m.provider, m.name FROM model_versions m WHERE m.id = $1", [run.candidateModelVersionId]);
    expect(rows[0]).toEqual({ provider: "azure", name: "support-ft-action" });
    const audit = await getPool().query("SELECT actor_id FROM audit_log WHERE action = 'retrain.deployment' AND target = $1", [run.isoWeek]);
    expect(audit.rows).toEqual([{ actor_id: user.id }]);
  });
});
