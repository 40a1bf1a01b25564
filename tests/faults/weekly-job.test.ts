import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, useDatabaseUrl } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/errors";
import { readRetrainConfig, type RetrainConfig } from "@/lib/retrain/read-retrain-config";
import { runRetrain } from "@/lib/retrain/run-retrain";
import { storeQuestionReplays, uniqueQuestion } from "../support/training-factories";
import { startFaultDatabase, type FaultDatabase } from "./support/fault-database";
import { startGatedFineTuning } from "./support/gated-fine-tuning";

let db: FaultDatabase;
let fake: Awaited<ReturnType<typeof startGatedFineTuning>>;

beforeAll(async () => {
  db = await startFaultDatabase("weekly-job");
  fake = await startGatedFineTuning();
});

afterAll(async () => {
  await closeDb();
  await fake?.close();
  await db?.close();
});

/** A database of its own (the weekly run is unique per ISO week) with four worst prompts. */
async function weekWithWorstPrompts(): Promise<string> {
  const url = await db.freshDatabase();
  await closeDb();
  useDatabaseUrl(url);
  for (let q = 0; q < 4; q++) await storeQuestionReplays({ question: uniqueQuestion(), no: 6 });
  return url;
}

/** `npm run cli -- retrain` as the self-hosted crontab runs it: an app process of its own. */
function cliRetrain(url: string): { child: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> } {
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/cli.ts", "retrain"], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      AI_PROVIDER: "openai",
      OPENAI_BASE_URL: fake.baseURL,
      OPENAI_API_KEY: "sk-fake",
      OPENAI_MAX_RETRIES: "0",
      FINE_TUNE_TARGET: "openai",
      RETRAIN_MODE: "upload",
      NODE_ENV: "production",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (c: Buffer) => (out += c));
  child.stderr!.on("data", (c: Buffer) => (out += c));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal, out })),
  );
  return { child, done };
}

async function runsOf(url: string) {
  const client = new (await import("pg")).default.Client({ connectionString: url });
  await client.connect();
  try {
    const runs = (await client.query("SELECT id, status, training_file_id, fine_tune_job_id, attempts FROM retrain_runs")).rows;
    const datasets = (await client.query("SELECT id, status, example_count, sha256, completed_at FROM datasets")).rows;
    return { runs, datasets };
  } finally {
    await client.end();
  }
}

describe("the weekly job under faults", () => {
  it("the app process is killed mid-job (after the uploads): the next trigger resumes it without a second upload", async () => {
    const url = await weekWithWorstPrompts();
    const uploadsBefore = fake.uploads().length;
    const jobsBefore = fake.jobsCreated().length;
    const processing = fake.hold("GET", /^\/v1\/files\/[\w-]+$/); // after both uploads, before the job
    const first = cliRetrain(url);
    await processing.arrived;
    first.child.kill("SIGKILL");
    expect((await first.done).signal).toBe("SIGKILL");
    processing.pass();
    const uploadsAtKill = fake.uploads().length - uploadsBefore;
    expect(uploadsAtKill).toBeGreaterThanOrEqual(1);
    expect((await runsOf(url)).runs[0]).toMatchObject({ status: "uploading", fine_tune_job_id: null });

    const second = cliRetrain(url);
    const result = await second.done;
    expect(result.code, result.out).toBe(0);
    const { runs } = await runsOf(url);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: "training", attempts: 2, fine_tune_job_id: expect.stringMatching(/^ftjob-/) });
    expect(fake.uploads().length - uploadsBefore).toBe(uploadsAtKill); // no second upload
    expect(fake.jobsCreated().length - jobsBefore).toBe(1);
  });

  it("two app instances run it at the same moment: exactly one does the work", async () => {
    const url = await weekWithWorstPrompts();
    const uploadsBefore = fake.uploads().length;
    const jobsBefore = fake.jobsCreated().length;
    // Whichever instance takes the week's lock is held at its first upload until the other has answered.
    const upload = fake.hold("POST", /^\/v1\/files$/);
    const a = cliRetrain(url);
    const b = cliRetrain(url);
    await upload.arrived;
    const loser = await Promise.race([a.done, b.done]);
    expect(loser.code, loser.out).toBe(0);
    expect(loser.out).toMatch(/Another retrain of \d{4}-W\d{2} is running right now/);
    upload.pass();
    const [ra, rb] = await Promise.all([a.done, b.done]);
    expect([ra.code, rb.code]).toEqual([0, 0]);
    expect([ra.out, rb.out].filter((o) => /: training\./.test(o))).toHaveLength(1);
    const { runs } = await runsOf(url);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: "training", attempts: 1 });
    expect(fake.jobsCreated().length - jobsBefore).toBe(1);
    expect(fake.uploads().length - uploadsBefore).toBeLessThanOrEqual(2); // train + validation, once each
  });

  it("the database is lost mid-job: nothing is marked done that is not, and the next run completes without a second upload", async () => {
    const url = await weekWithWorstPrompts();
    const config: RetrainConfig = {
      ...readRetrainConfig(),
      mode: "upload",
      target: "openai",
      ai: { openai: { apiKey: "sk-fake", baseURL: fake.baseURL, model: "gpt-fake", analysisModel: "gpt-fake", timeoutMs: 5_000, maxRetries: 0 }, localMinSimilarity: 0.5, fewShotExamples: 3 },
      filePollMs: 1,
    };
    const uploadsBefore = fake.uploads().length;
    const processing = fake.hold("GET", /^\/v1\/files\/[\w-]+$/);
    const running = runRetrain({ trigger: "cron", config }).then(
      () => null,
      (error: unknown) => error,
    );
    await processing.arrived;
    await db.kill9();
    processing.fail(); // the provider call fails while the database is gone: the failure cannot be recorded
    const failure = await running;
    expect(isDatabaseUnavailable(failure)).toBe(true);
    await db.start();

    const before = await runsOf(url);
    expect(before.runs).toHaveLength(1);
    expect(["running", "uploading"]).toContain(before.runs[0].status);
    const uploadsAtLoss = fake.uploads().length - uploadsBefore;
    // The snapshot was written whole before the upload; none is left half-written yet "complete".
    expect(before.datasets.every((d: { status: string; sha256: string | null; completed_at: Date | null }) => d.status !== "complete" || (d.sha256 !== null && d.completed_at !== null))).toBe(true);

    const outcome = await runRetrain({ trigger: "cron", config });
    expect(outcome).toMatchObject({ status: "done", run: { status: "training" } });
    expect(fake.uploads().length - uploadsBefore).toBe(uploadsAtLoss);
  });
});
