import { randomInt } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSuggestion } from "@/lib/ai/generate-suggestion";
import { getActiveModelVersion } from "@/lib/ai/get-active-model-version";
import type { AiConfig } from "@/lib/ai/read-ai-config";
import { getPool } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/env";
import { readRetrainConfig, type RetrainConfig } from "@/lib/retrain/read-retrain-config";
import { cancelTrainingRun, decideEvaluation, pollFineTunes, resumeRun, runRetrain } from "@/lib/retrain/run-retrain";
import { recordAzureDeployment } from "@/lib/retrain/record-azure-deployment";
import { getRun, listEvaluations, type RetrainRun } from "@/lib/retrain/runs";
import { streamDatasetJsonl } from "@/lib/training/stream-dataset-jsonl";
import { validatePreferenceJsonl } from "@/lib/training/validate-preference-jsonl";
import { openaiConfig } from "../support/ai";
import { startFakeFineTuningServer } from "../support/fake-openai-fine-tuning";
import { startFakeFireworks } from "../support/fake-fireworks";
import { startFakeOpenAI, type FakeOpenAI } from "../support/fake-openai";
import { startFakeTogether } from "../support/fake-together";
import { useOwnDatabase } from "../support/own-database";
import { storeQuestionReplays, uniqueQuestion } from "../support/training-factories";

// A database of its own: these runs promote and roll back model versions, and count every run
// (one per ISO week) without the other files' runs in between.
useOwnDatabase("finetune");

let chat: FakeOpenAI;
let together: Awaited<ReturnType<typeof startFakeTogether>>;
let fireworks: Awaited<ReturnType<typeof startFakeFireworks>>;
let openaiFiles: Awaited<ReturnType<typeof startFakeFineTuningServer>>;
const since = new Date(Date.now() - 3_600_000);
const nextWeek = () => new Date(Date.UTC(3000 + randomInt(0, 7000), 0, 1 + randomInt(0, 364)));

beforeAll(async () => {
  [chat, together, fireworks, openaiFiles] = await Promise.all([startFakeOpenAI(), startFakeTogether(), startFakeFireworks(), startFakeFineTuningServer()]);
  // activateModelVersion reads the environment: a Together version may be promoted only with its key set.
  Object.assign(process.env, { AI_PROVIDER: "auto", TOGETHER_API_KEY: together.apiKey, TOGETHER_API_BASE_URL: chat.baseURL, OPENAI_BASE_URL: chat.baseURL, OPENAI_API_KEY: chat.apiKey });
  resetEnvCache();
  // Eight "no" on each of four questions: worst prompts with 32 examples, each a preference pair
  // (the AI said "Please wait.", the agent something better).
  for (let q = 0; q < 4; q++) await storeQuestionReplays({ question: uniqueQuestion(), no: 8 });
});
afterAll(async () => {
  for (const key of ["TOGETHER_API_KEY", "TOGETHER_API_BASE_URL", "OPENAI_BASE_URL", "OPENAI_API_KEY"]) delete process.env[key];
  process.env.AI_PROVIDER = "local";
  resetEnvCache();
  await Promise.all([chat.close(), together.close(), fireworks.close(), openaiFiles.close()]);
});

/** The promoted model answers through the chat fake, as Together's OpenAI-compatible API would. */
const served = (): NonNullable<AiConfig["serving"]>["together"] => ({ apiKey: chat.apiKey, baseURL: chat.baseURL, model: "gpt-fake", analysisModel: "gpt-fake", timeoutMs: 5_000, maxRetries: 0 });

const config = (overrides: Partial<RetrainConfig> = {}): RetrainConfig => {
  const base = readRetrainConfig();
  return {
    ...base,
    mode: "upload",
    ai: { ...openaiConfig(chat, { maxRetries: 0 }), serving: { together: served(), fireworks: served(), azure: served(), "openai-compatible": served() } },
    evalExamples: 2,
    filePollMs: 1,
    autoPromote: false,
    providers: {
      together: { apiKey: together.apiKey, baseURL: together.baseURL },
      fireworks: { apiKey: fireworks.apiKey, accountId: fireworks.accountId, baseURL: fireworks.baseURL },
      azure: { endpoint: openaiFiles.baseURL.replace(/\/v1$/, ""), apiKey: "azure-test-key", apiVersion: "2025-04-01-preview", management: null },
      compatible: { baseURL: openaiFiles.baseURL, apiKey: "compatible-key" },
    },
    ...overrides,
  };
};

async function run(cfg: RetrainConfig, now = nextWeek()): Promise<RetrainRun> {
  const outcome = await runRetrain({ trigger: "cron", now, since, threshold: 2, config: cfg });
  if (outcome.status !== "done") throw new Error(`${outcome.status}: ${"message" in outcome ? outcome.message : ""}`);
  if (outcome.run.status === "skipped") throw new Error(`skipped: ${JSON.stringify(outcome.run.counts)}`);
  return outcome.run;
}

/** Polls like the cron route until the run leaves `training` (each read advances the fake job). */
async function pollUntilSettled(runId: string, cfg: RetrainConfig, beforePoll?: (run: RetrainRun) => void) {
  for (let i = 0; i < 12; i++) {
    const current = (await getRun(runId))!;
    if (current.status !== "training" && current.status !== "uploading") return current;
    beforePoll?.(current);
    await pollFineTunes({ config: cfg });
  }
  return (await getRun(runId))!;
}

async function fileOf(datasetId: string, split: "train" | "validation") {
  let text = "";
  for await (const chunk of streamDatasetJsonl(datasetId, { split })) text += chunk.toString("utf8");
  return text;
}

describe("Together AI, through the together-ai SDK", () => {
  it("trains DPO on the preference pairs, registers the model, serves it once promoted, and rolls back in one step", async () => {
    const cfg = config({ target: "together", method: "dpo", baseModel: "meta-llama/Llama-3-8b-chat-hf" });
    const started = await run(cfg);
    expect(started).toMatchObject({ status: "training", method: "dpo", stage: "dpo" });
    const job = together.jobs.get(started.fineTuneJobId!)!;
    expect(job).toMatchObject({ model: "meta-llama/Llama-3-8b-chat-hf", training_file: started.trainingFileId, training_method: { method: "dpo" } });
    const uploaded = together.files.get(started.trainingFileId!)!.content!;
    expect(uploaded).toBe(await fileOf(started.datasetId!, "train"));
    expect((await validatePreferenceJsonl(uploaded, { minExamples: 1 })).ok).toBe(true);
    expect(JSON.parse(uploaded.split("\n")[0]!).non_preferred_output).toEqual([{ role: "assistant", content: "Please wait." }]);

    const done = await pollUntilSettled(started.id, cfg, (r) => {
      const j = together.jobs.get(r.fineTuneJobId ?? "");
      if (j) chat.models.add(`fakeuser/${j.model.split("/").at(-1)}-${j.suffix}-${j.id.slice(-6)}`);
    });
    expect(done.status).toBe("succeeded");
    expect(done.fineTunedModel).toMatch(/^fakeuser\/Llama-3-8b-chat-hf-/);
    const [evaluation] = await listEvaluations([done.id]);
    expect(evaluation).toBeTruthy();

    const before = (await getActiveModelVersion(cfg.ai)).version;
    await decideEvaluation({ evaluationId: evaluation!.id, decision: "promote", actor: { type: "cron" } });
    const active = (await getActiveModelVersion(cfg.ai)).version;
    expect(active).toMatchObject({ provider: "openai", servedBy: "together", name: done.fineTunedModel });
    const asked = chat.chatRequests().length;
    const suggestion = await generateSuggestion({ message: "Where is my parcel today?", config: cfg.ai });
    expect(suggestion.version.name).toBe(done.fineTunedModel);
    expect(chat.chatRequests().slice(asked).map((r) => r.model)).toContain(done.fineTunedModel);

    await decideEvaluation({ evaluationId: evaluation!.id, decision: "rollback", actor: { type: "cron" } });
    expect((await getActiveModelVersion(cfg.ai)).version.id).toBe(before.id);
  });

  it("SFT then DPO: the DPO job trains the SFT model on the preference file", async () => {
    const cfg = config({ target: "together", method: "sft-dpo", baseModel: "meta-llama/Llama-3-8b-chat-hf" });
    const started = await run(cfg);
    expect(started).toMatchObject({ status: "training", stage: "sft", method: "sft-dpo" });
    expect(started.dpoDatasetId).toBeTruthy();
    const sftJob = together.jobs.get(started.fineTuneJobId!)!;
    expect(sftJob.training_method).toMatchObject({ method: "sft" });
    for (let i = 0; i < 3; i++) await pollFineTunes({ config: cfg }); // SFT completes; the DPO stage starts
    const dpo = (await getRun(started.id))!;
    expect(dpo).toMatchObject({ status: "training", stage: "dpo" });
    const dpoJob = together.jobs.get(dpo.fineTuneJobId!)!;
    expect(dpoJob.training_method).toEqual({ method: "dpo" });
    expect(dpoJob.model).toBe(sftJob.model_output_name);
    expect(JSON.parse(together.files.get(dpo.trainingFileId!)!.content!.split("\n")[0]!)).toHaveProperty("preferred_output");
    await getPool().query("UPDATE retrain_runs SET status = 'discarded' WHERE id = $1", [dpo.id]);
  });

  it("a failed upload trains nothing; the retry uploads only what is missing", async () => {
    const cfg = config({ target: "together", method: "sft", baseModel: "meta-llama/Llama-3-8b-chat-hf" });
    const now = nextWeek();
    together.script.failPutCount = 1;
    const jobsBefore = together.jobs.size;
    const failed = await run(cfg, now);
    expect(failed).toMatchObject({ status: "failed", trainingFileId: null, fineTuneJobId: null });
    expect(failed.error).toMatch(/storage refused the dataset/);
    expect(together.jobs.size).toBe(jobsBefore);

    const resumed = await run(cfg, now);
    expect(resumed).toMatchObject({ id: failed.id, status: "training", attempts: 2 });
    const uploads = together.requests.filter((r) => r.method === "PUT").length;
    // The cron fires again this week: it already ran, so no second upload or job.
    expect((await runRetrain({ trigger: "cron", now, since, threshold: 2, config: cfg })).status).toBe("already-ran");
    expect(together.requests.filter((r) => r.method === "PUT").length).toBe(uploads);
    expect([...together.jobs.values()].filter((j) => j.training_file === resumed.trainingFileId)).toHaveLength(1);
    await getPool().query("UPDATE retrain_runs SET status = 'discarded' WHERE id = $1", [resumed.id]);
  });
});

describe("Fireworks AI, through its REST API", () => {
  it("datasets, a supervised job polled to its end, the model registered and evaluated", async () => {
    const cfg = config({ target: "fireworks", method: "sft", baseModel: "accounts/fireworks/models/llama-v3p1-8b-instruct" });
    const started = await run(cfg);
    expect(started.status).toBe("training");
    const dataset = fireworks.datasets.get(started.trainingFileId!)!;
    expect(dataset).toMatchObject({ state: "READY" });
    expect(dataset.content).toBe(await fileOf(started.datasetId!, "train"));
    const job = fireworks.jobs.get(`sft:${started.fineTuneJobId}`)!;
    expect(job.body).toMatchObject({ baseModel: "accounts/fireworks/models/llama-v3p1-8b-instruct", dataset: `accounts/acme/datasets/${started.trainingFileId}` });
    const done = await pollUntilSettled(started.id, cfg, () => chat.models.add(`accounts/acme/models/${job.outputModel}`));
    expect(done.status).toBe("succeeded");
    expect(done.fineTunedModel).toBe(`accounts/acme/models/${job.outputModel}`);
    expect(await listEvaluations([done.id])).toHaveLength(1);
  });

  it("a DPO job goes to dpoJobs with the preference file", async () => {
    const cfg = config({ target: "fireworks", method: "dpo", baseModel: "accounts/fireworks/models/llama-v3p1-8b-instruct" });
    const started = await run(cfg);
    expect(started.fineTuneJobId).toMatch(/^dpo:/);
    const job = fireworks.jobs.get(`dpo:${started.fineTuneJobId!.slice(4)}`)!;
    expect(job.body.trainingConfig).toMatchObject({ baseModel: "accounts/fireworks/models/llama-v3p1-8b-instruct" });
    await getPool().query("UPDATE retrain_runs SET status = 'discarded' WHERE id = $1", [started.id]);
  });

  it("a failed job shows Fireworks' reason; a job past the timeout is cancelled there", async () => {
    fireworks.script.failJobsWith = "Dataset has 2 examples; at least 3 are required.";
    const cfg = config({ target: "fireworks", method: "sft", baseModel: "accounts/fireworks/models/llama-v3p1-8b-instruct" });
    const failing = await run(cfg);
    fireworks.script.failJobsWith = undefined;
    const failed = await pollUntilSettled(failing.id, cfg);
    expect(failed).toMatchObject({ status: "failed", fineTuneJobId: null, fineTunedModel: null, candidateModelVersionId: null });
    expect(failed.error).toBe("Fireworks AI: Dataset has 2 examples; at least 3 are required.");

    const slow = await run(cfg);
    await pollFineTunes({ config: { ...cfg, jobTimeoutMs: 0 } });
    const timedOut = (await getRun(slow.id))!;
    expect(timedOut.status).toBe("failed");
    expect(timedOut.error).toMatch(/ran longer than 0 h .* and was cancelled/);
    expect(fireworks.jobs.get(`sft:${slow.fineTuneJobId}`)!.state).toBe("JOB_STATE_CANCELLED");
    // Retry: a new job from the datasets already uploaded.
    const datasetsBefore = fireworks.datasets.size;
    const retried = await resumeRun({ runId: slow.id, trigger: "cron", config: cfg });
    expect(retried).toMatchObject({ status: "training", trainingFileId: slow.trainingFileId });
    expect(fireworks.datasets.size).toBe(datasetsBefore);
    await getPool().query("UPDATE retrain_runs SET status = 'discarded' WHERE id = $1", [slow.id]);
  });
});

describe("Azure OpenAI, OpenAI and compatible servers, through the openai SDK", () => {
  it("Azure: files and fine_tuning/jobs with api-version, DPO under method", async () => {
    const cfg = config({ target: "azure", method: "dpo", baseModel: "gpt-4.1-mini-2025-04-14" });
    const requestsBefore = openaiFiles.requests.length;
    const started = await run(cfg);
    expect(started.status).toBe("training");
    const job = openaiFiles.jobs.get(started.fineTuneJobId!)!;
    expect(job.method).toEqual({ type: "dpo", dpo: { hyperparameters: { n_epochs: "auto" } } });
    expect(openaiFiles.requests.slice(requestsBefore).every((r) => r.apiVersion === "2025-04-01-preview")).toBe(true);
    // Azure serves deployments: without management credentials the run waits for a manager to
    // deploy the model (tests/integration/azure-deployment.test.ts covers both roads).
    const waiting = await pollUntilSettled(started.id, cfg);
    expect(waiting).toMatchObject({ status: "awaiting_deployment", fineTunedModel: `ft:gpt-4.1-mini-2025-04-14:fake-org:${job.suffix}:${job.id.slice(-6)}` });
    chat.models.add(`dpo-${job.id.slice(-6)}`);
    const done = await recordAzureDeployment({ runId: started.id, deploymentName: `dpo-${job.id.slice(-6)}`, actor: { type: "cli" }, config: cfg });
    expect(done.status).toBe("succeeded");
  });

  it("OpenAI refuses the organisation: the manager is told to choose another target, nothing is trained", async () => {
    openaiFiles.script.refuseJobs = { status: 403, message: "Fine-tuning is not available for this organization.", code: "fine_tuning_not_allowed" };
    const cfg = config({ target: "openai", method: "sft", ai: { ...openaiConfig(chat, { maxRetries: 0 }), openai: { ...openaiConfig(chat).openai!, baseURL: openaiFiles.baseURL, apiKey: "sk-x", maxRetries: 0 } } });
    const failed = await run(cfg);
    openaiFiles.script.refuseJobs = undefined;
    expect(failed).toMatchObject({ status: "failed", fineTuneJobId: null, candidateModelVersionId: null });
    expect(failed.error).toBe("This OpenAI organisation can no longer create fine-tuning jobs: choose another target (FINE_TUNE_TARGET=together, fireworks, azure, local or manual).");
    expect(failed.trainingFileId).toBeTruthy(); // kept: a retry (on this target) does not upload again
  });

  it("a manager cancels a job on a compatible server; Retry starts a new one without uploading again", async () => {
    const cfg = config({ target: "openai-compatible", method: "sft", baseModel: "llama3" });
    const requestsBefore = openaiFiles.requests.length;
    const started = await run(cfg);
    // Every POST carries an Idempotency-Key of its run and step: a request retried after a lost answer makes nothing twice.
    const keys = openaiFiles.requests.slice(requestsBefore).filter((r) => r.method === "POST").map((r) => r.idempotencyKey);
    expect(keys).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^retrain-${started.id}-sft-a1-.*-train\\.jsonl$`)), `retrain-${started.id}-sft-a1-job-sft`]));
    const filesBefore = openaiFiles.files.size;
    await cancelTrainingRun({ runId: started.id, actor: { type: "cli" }, config: cfg });
    expect(openaiFiles.jobs.get(started.fineTuneJobId!)!.status).toBe("cancelled");
    const cancelled = (await getRun(started.id))!;
    expect(cancelled).toMatchObject({ status: "failed", fineTuneJobId: null });
    expect(cancelled.error).toMatch(/cancelled by a manager/);
    const retried = await resumeRun({ runId: started.id, trigger: "manager", config: cfg });
    expect(retried).toMatchObject({ status: "training", trainingFileId: started.trainingFileId });
    expect(retried === "locked" ? null : retried.fineTuneJobId).not.toBe(started.fineTuneJobId);
    expect(openaiFiles.files.size).toBe(filesBefore);
    await getPool().query("UPDATE retrain_runs SET status = 'discarded' WHERE id = $1", [started.id]);
  });
});

describe("once per ISO week, and small weeks add up", () => {
  it("however often the cron fires in a week: one dataset, one upload, one job", async () => {
    const cfg = config({ target: "fireworks", method: "sft", baseModel: "accounts/fireworks/models/llama-v3p1-8b-instruct" });
    const now = nextWeek();
    const [datasetsBefore, jobsBefore] = [fireworks.datasets.size, fireworks.jobs.size];
    const outcomes = await Promise.all([1, 2, 3].map(() => runRetrain({ trigger: "cron", now, since, threshold: 2, config: cfg })));
    outcomes.push(await runRetrain({ trigger: "cron", now, since, threshold: 2, config: cfg }));
    expect(outcomes.filter((o) => o.status === "done")).toHaveLength(1);
    const done = outcomes.find((o) => o.status === "done")!;
    expect(fireworks.datasets.size - datasetsBefore).toBe(done.status === "done" && done.run.validationFileId ? 2 : 1); // train (+ validation)
    expect(fireworks.jobs.size - jobsBefore).toBe(1);
    const { rows } = await getPool().query("SELECT count(*)::int AS n FROM datasets WHERE created_at > now() - interval '1 minute' AND id = ANY($1::uuid[])", [
      outcomes.flatMap((o) => (o.status === "done" || o.status === "already-ran" ? [o.run.datasetId] : [])),
    ]);
    expect(rows[0].n).toBe(1);
  });

  it("a week under the target's minimum is skipped with how many more are needed, and its window carries over", async () => {
    // Nothing over this threshold: no examples at all this week.
    const cfg = config({ target: "fireworks", method: "sft" });
    const small = await runRetrain({ trigger: "cron", now: nextWeek(), since: new Date(Date.now() - 60_000), threshold: 100_000, config: cfg });
    if (small.status !== "done") throw new Error(small.status);
    expect(small.run.status).toBe("skipped");
    expect(small.run.counts).toMatchObject({ needed: 3, minExamples: 3 });
    expect((small.run.counts as { reason: string }).reason).toMatch(/3 more needed; they carry over to the next run/);
    const next = await runRetrain({ trigger: "cron", now: nextWeek(), since: new Date(), threshold: 100_000, config: cfg });
    if (next.status !== "done") throw new Error(next.status);
    expect((next.run.counts as { since: string }).since).toBe((small.run.counts as { since: string }).since);
  });
});
