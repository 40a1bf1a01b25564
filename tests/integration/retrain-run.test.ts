import { randomInt } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getActiveModelVersion } from "@/lib/ai/get-active-model-version";
import { getPool } from "@/lib/db/client";
import { groupPendingReplays } from "@/lib/meaning/group-pending-replays";
import { resetEnvCache } from "@/lib/env";
import { readRetrainConfig, type RetrainConfig } from "@/lib/retrain/read-retrain-config";
import { approveHeldRun, decideEvaluation, pollFineTunes, resumeRun, runRetrain } from "@/lib/retrain/run-retrain";
import { getRun, listEvaluations } from "@/lib/retrain/runs";
import { openaiConfig, localConfig } from "../support/ai";
import { createUser } from "../support/factories";
import { startFakeOpenAI, type FakeOpenAI } from "../support/fake-openai";
import { storeQuestionReplays, uniqueQuestion } from "../support/training-factories";

let fake: FakeOpenAI;
const since = new Date(Date.now() - 3_600_000);
/** A week of its own (runs are unique per ISO week; the test database is shared and kept between runs). */
const nextWeek = () => new Date(Date.UTC(3000 + randomInt(0, 7000), 0, 1 + randomInt(0, 364)));

beforeAll(async () => {
  fake = await startFakeOpenAI();
  // activateModelVersion reads the environment: an OpenAI version may be promoted only with a provider configured.
  process.env.OPENAI_BASE_URL = fake.baseURL;
  process.env.OPENAI_API_KEY = fake.apiKey;
  process.env.AI_PROVIDER = "openai"; // the fake only (vitest.config.ts sets local)
  resetEnvCache();
  // Six "no" on each of four questions of this file: worst prompts with 24 examples.
  for (let q = 0; q < 4; q++) await storeQuestionReplays({ question: uniqueQuestion(), no: 6 });
});
afterAll(async () => {
  delete process.env.OPENAI_BASE_URL;
  delete process.env.OPENAI_API_KEY;
  process.env.AI_PROVIDER = "local";
  resetEnvCache();
  await fake.close();
});

const config = (overrides: Partial<RetrainConfig> = {}): RetrainConfig => ({
  ...readRetrainConfig(),
  mode: "upload",
  target: "openai",
  ai: openaiConfig(fake, { maxRetries: 0 }),
  evalExamples: 3,
  filePollMs: 1,
  autoPromote: false,
  ...overrides,
});

async function runsOfWeek(week: string) {
  const { rows } = await getPool().query("SELECT id FROM retrain_runs WHERE iso_week = $1", [week]);
  return rows;
}

/** Drives the fake job to its end through the real poll (each retrieve advances it one step). */
async function pollUntilDone(runId: string, cfg: RetrainConfig) {
  for (let i = 0; i < 10; i++) {
    const run = (await getRun(runId))!;
    if (run.status !== "training") return run;
    await pollFineTunes({ config: cfg });
  }
  return (await getRun(runId))!;
}

describe("runRetrain: once per ISO week", () => {
  it("two concurrent triggers make one run", async () => {
    const now = nextWeek();
    const cfg = config({ mode: "review", target: "local", ai: localConfig() });
    const results = await Promise.all([
      runRetrain({ trigger: "cron", now, since, threshold: 5, config: cfg }),
      runRetrain({ trigger: "cron", now, since, threshold: 5, config: cfg }),
    ]);
    expect(results.filter((r) => r.status === "done")).toHaveLength(1);
    expect(results.map((r) => r.status).sort()).toEqual(expect.arrayContaining(["done"]));
    expect(results.every((r) => ["done", "locked", "already-ran"].includes(r.status))).toBe(true);
    const week = results[0]!.isoWeek;
    expect(await runsOfWeek(week)).toHaveLength(1);
  });

  it("a second trigger in the same week returns the first run; a dry run writes nothing", async () => {
    const now = nextWeek();
    const cfg = config({ mode: "review", target: "local", ai: localConfig() });
    // A dry run counts on the grouping as stored (it writes nothing): bring it up to date first, as
    // ingest's scheduled grouping does, waiting for another file's grouping that holds the lock.
    await groupPendingReplays({ waitMs: 60_000 });
    const dry = await runRetrain({ trigger: "cli", now, since, threshold: 5, config: cfg, dryRun: true });
    expect(dry).toMatchObject({ status: "dry-run", mode: "review", existingRun: null });
    if (dry.status !== "dry-run") throw new Error("unreachable");
    expect(dry.worstPrompts).toBeGreaterThanOrEqual(4);
    expect(dry.candidateExamples).toBeGreaterThanOrEqual(24);
    expect(await runsOfWeek(dry.isoWeek)).toHaveLength(0);

    const first = await runRetrain({ trigger: "cron", now, since, threshold: 5, config: cfg });
    const second = await runRetrain({ trigger: "cli", now, since, threshold: 5, config: cfg });
    expect(first.status).toBe("done");
    expect(second.status).toBe("already-ran");
    if (first.status !== "done" || second.status !== "already-ran") throw new Error("unreachable");
    expect(second.run.id).toBe(first.run.id);
    expect(first.run.status).toBe("held");
  });

  it("skips with the reason when there are too few examples", async () => {
    const result = await runRetrain({ trigger: "cron", now: nextWeek(), since, threshold: 100_000, config: config({ target: "local", ai: localConfig() }) });
    if (result.status !== "done") throw new Error(`expected done, got ${result.status}`);
    expect(result.run.status).toBe("skipped");
    expect((result.run.counts as { reason: string }).reason).toMatch(/fewer than the 10/);
  });
});

describe("the local target", () => {
  it("trains local-learned@<week> on the training split, stores what it learned, and evaluates it per question", async () => {
    await storeQuestionReplays({ question: uniqueQuestion(), no: 6 });
    const cfg = config({ target: "local", ai: localConfig(), evalExamples: 1000 });
    const result = await runRetrain({ trigger: "cli", now: nextWeek(), since, threshold: 5, config: cfg });
    if (result.status !== "done") throw new Error(result.status);
    expect(result.run.status).toBe("succeeded");
    const { rows } = await getPool().query(
      "SELECT v.name, a.kind FROM model_versions v JOIN model_artifacts a ON a.model_version_id = v.id WHERE v.id = $1",
      [result.run.candidateModelVersionId],
    );
    expect(rows).toEqual([{ name: "local-learned", kind: "meaning-softmax" }]);
    const events = (result.run.events as { message: string }[]).map((e) => e.message).join("\n");
    expect(events).toMatch(/Trained local-learned@.* on \d+ examples of \d+ questions/);
    expect(events).toMatch(/per question: \d+ better, \d+ worse/);
    const [evaluation] = await listEvaluations([result.run.id]);
    const report = evaluation!.report as { items: { exampleId: string; candidateScore: number }[]; groups: { examples: number }[] };
    expect(report.items.length).toBeGreaterThan(0);
    expect(report.groups.reduce((n, g) => n + g.examples, 0)).toBe(report.items.length);
    expect(["candidate", "baseline", "tie"]).toContain(evaluation!.winner);
    expect(evaluation!.decision).toBe("pending");
  });
});

describe("review mode and the OpenAI target", () => {
  it("holds the dataset; a manager's approval uploads it and starts the job", async () => {
    const manager = await createUser("manager");
    const filesBefore = fake.fineTuning.files.size;
    const cfg = config({ mode: "review" });
    const held = await runRetrain({ trigger: "cron", now: nextWeek(), since, threshold: 5, config: cfg });
    if (held.status !== "done") throw new Error(held.status);
    expect(held.run.status).toBe("held");
    expect(fake.fineTuning.files.size).toBe(filesBefore); // nothing leaves before approval

    const approved = await approveHeldRun({ runId: held.run.id, userId: manager.id, email: manager.email, config: cfg });
    expect(approved).toMatchObject({ status: "training", approvedBy: manager.id });
    expect(fake.fineTuning.files.get(approved.trainingFileId!)?.purpose).toBe("fine-tune");
    const job = fake.fineTuning.jobs.get(approved.fineTuneJobId!)!;
    expect(job.training_file).toBe(approved.trainingFileId);
    expect(job.method).toEqual({ type: "supervised", supervised: { hyperparameters: { n_epochs: "auto" } } });
    await expect(approveHeldRun({ runId: held.run.id, userId: manager.id, email: manager.email, config: cfg })).rejects.toThrow(/not waiting for approval/);
    const { rows } = await getPool().query("SELECT action FROM audit_log WHERE target = $1 ORDER BY created_at", [held.isoWeek]);
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(["retrain.approve", "finetune.upload"]));
    // out of the way of the polls below
    await getPool().query("UPDATE retrain_runs SET status = 'discarded' WHERE id = $1", [held.run.id]);
  });

  it("a failed upload is retried by the next trigger without uploading the training file twice", async () => {
    const cfg = config();
    const now = nextWeek();
    fake.fineTuning.script.failUploads = { skip: 1, count: 1, status: 400 }; // training goes up, validation is refused
    const failed = await runRetrain({ trigger: "cron", now, since, threshold: 5, config: cfg });
    if (failed.status !== "done") throw new Error(failed.status);
    expect(failed.run.status).toBe("failed");
    expect(failed.run.error).toMatch(/refused the request/);
    const uploaded = failed.run.trainingFileId!;
    expect(uploaded).toBeTruthy();
    const filesBefore = fake.fineTuning.files.size;

    const resumed = await runRetrain({ trigger: "cron", now, since, threshold: 5, config: cfg });
    if (resumed.status !== "done") throw new Error(resumed.status);
    expect(resumed.run).toMatchObject({ id: failed.run.id, status: "training", attempts: 2, trainingFileId: uploaded });
    expect(fake.fineTuning.files.size - filesBefore).toBe(1); // the validation file only
    await getPool().query("UPDATE retrain_runs SET status = 'discarded' WHERE id = $1", [resumed.run.id]);
  });

  it("a run interrupted mid-upload (a timed-out function) is picked up by the fine-tunes poll; Retry resumes a failed one", async () => {
    const cfg = config();
    fake.fineTuning.script.failUploads = { skip: 1, count: 1, status: 400 };
    const failed = await runRetrain({ trigger: "cron", now: nextWeek(), since, threshold: 5, config: cfg });
    if (failed.status !== "done") throw new Error(failed.status);
    expect(failed.run.status).toBe("failed");
    // as a process that died after the first upload leaves it: uploading, not touched for a while
    await getPool().query("UPDATE retrain_runs SET status = 'uploading', updated_at = now() - interval '1 hour' WHERE id = $1", [failed.run.id]);
    const filesBefore = fake.fineTuning.files.size;
    const polled = await pollFineTunes({ config: cfg });
    expect(polled.resumed).toBeGreaterThanOrEqual(1);
    const picked = (await getRun(failed.run.id))!;
    expect(picked).toMatchObject({ status: "training", trainingFileId: failed.run.trainingFileId, attempts: 2 });
    expect(fake.fineTuning.files.size - filesBefore).toBe(1);
    await expect(resumeRun({ runId: picked.id, trigger: "manager", config: cfg })).rejects.toThrow(/only a failed or interrupted run/);
    await getPool().query("UPDATE retrain_runs SET status = 'discarded' WHERE id = $1", [picked.id]);
  });

  it("a failed fine-tune shows OpenAI's message", async () => {
    const cfg = config();
    fake.fineTuning.script.failJobsWith = "The training file has 3 examples with an invalid role.";
    const started = await runRetrain({ trigger: "cron", now: nextWeek(), since, threshold: 5, config: cfg });
    fake.fineTuning.script.failJobsWith = undefined;
    if (started.status !== "done") throw new Error(started.status);
    const done = await pollUntilDone(started.run.id, cfg);
    expect(done.status).toBe("failed");
    expect(done.error).toBe("OpenAI: The training file has 3 examples with an invalid role.");
    expect(JSON.stringify(done.events)).toContain("invalid role");
  });

  it("two polls at once (cron and a page view) evaluate a finished job once", async () => {
    const cfg = config();
    fake.setChatResponder(() => ({ content: "Please wait." }));
    const started = await runRetrain({ trigger: "cron", now: nextWeek(), since, threshold: 5, config: cfg });
    if (started.status !== "done") throw new Error(started.status);
    const job = fake.fineTuning.jobs.get(started.run.fineTuneJobId!)!;
    job.status = "succeeded";
    job.fine_tuned_model = `ft:${job.model}:fake-org:${job.suffix}:twice`;
    fake.models.add(job.fine_tuned_model);
    await Promise.all([pollFineTunes({ config: cfg }), pollFineTunes({ config: cfg })]);
    expect(await listEvaluations([started.run.id])).toHaveLength(1);
    expect((await getRun(started.run.id))!.status).toBe("succeeded");
  });

  it("full cycle: dataset → upload → job succeeded → evaluation → promotion, then rollback", async () => {
    const cfg = config({ autoPromote: true });
    // The fine-tuned model answers like the agents; the base model stalls. The judge prefers the candidate's reply wherever it is.
    fake.setChatResponder((body) => {
      if (body.response_format) {
        const text = body.messages.at(-1)!.content;
        const winner = text.includes("<reply_a>\nCANDIDATE") ? "A" : text.includes("<reply_b>\nCANDIDATE") ? "B" : "tie";
        return { content: JSON.stringify({ winner, reason: "More specific." }) };
      }
      return { content: body.model.startsWith("ft:") ? "CANDIDATE reply number" : "Please wait." };
    });
    const before = (await getActiveModelVersion(cfg.ai)).version;
    const started = await runRetrain({ trigger: "cron", now: nextWeek(), since, threshold: 5, config: cfg });
    if (started.status !== "done") throw new Error(started.status);
    expect(started.run.status).toBe("training");
    const job = fake.fineTuning.jobs.get(started.run.fineTuneJobId!)!;
    fake.models.add(`ft:${job.model}:fake-org:${job.suffix}:${job.id.slice(-6)}`);

    const done = await pollUntilDone(started.run.id, cfg);
    expect(done.error).toBeNull();
    expect(done.status).toBe("succeeded");
    expect(done.fineTunedModel).toMatch(/^ft:gpt-4o-mini-2024-07-18:/);
    const [evaluation] = await listEvaluations([done.id]);
    expect(evaluation).toMatchObject({ candidateVersionId: done.candidateModelVersionId, baselineVersionId: before.id, winner: "candidate", decision: "promoted" });
    expect(evaluation!.examples).toBeGreaterThan(0);
    expect(evaluation!.pairwiseWins).toBe(evaluation!.examples);
    expect((await getActiveModelVersion(cfg.ai)).version.name).toBe(done.fineTunedModel);

    const manager = await createUser("manager");
    await decideEvaluation({ evaluationId: evaluation!.id, decision: "rollback", actor: { type: "user", id: manager.id, email: manager.email } });
    expect((await getActiveModelVersion(cfg.ai)).version.id).toBe(before.id);
    const [after] = await listEvaluations([done.id]);
    expect(after!.decision).toBe("rolled_back");
    await expect(decideEvaluation({ evaluationId: evaluation!.id, decision: "promote", actor: { type: "cron" } })).rejects.toThrow(/already rolled back/);
  });
});

describe("npm run cli -- retrain", () => {
  it("--dry-run prints the counts and what it would do, and writes nothing", async () => {
    const { execFile } = await import("node:child_process");
    const { promisify } = await import("node:util");
    const { inject } = await import("vitest");
    const { isoWeek } = await import("@/lib/retrain/iso-week");
    const before = await runsOfWeek(isoWeek(new Date()));
    const { stdout } = await promisify(execFile)(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/cli.ts", "retrain", "--dry-run"], {
      env: { ...process.env, DATABASE_URL: inject("databaseUrl"), AI_PROVIDER: "local" },
    });
    expect(stdout).toMatch(/Dry run for \d{4}-W\d\d \(mode review, target local\); nothing was written\./);
    expect(stdout).toMatch(/Worst prompts: \d+; candidate examples before hygiene: \d+\./);
    expect(await runsOfWeek(isoWeek(new Date()))).toEqual(before);
  }, 60_000);
});
