import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pollOpenAIFineTune, startOpenAIFineTune, type FineTuneProgress } from "@/lib/retrain/openai-fine-tune";
import { startFakeFineTuningServer } from "../support/fake-openai-fine-tuning";

let fake: Awaited<ReturnType<typeof startFakeFineTuningServer>>;
let client: OpenAI;

beforeAll(async () => {
  fake = await startFakeFineTuningServer();
  client = new OpenAI({ apiKey: "sk-test", baseURL: fake.baseURL, maxRetries: 0 });
});
afterAll(async () => fake.close());

const line = JSON.stringify({ messages: [{ role: "user", content: "Where is my refund?" }, { role: "assistant", content: "Issued today." }] });
const input = (runKey: string, progress: FineTuneProgress, saved: FineTuneProgress[]) => ({
  client,
  runKey,
  training: { filename: "train.jsonl", content: Buffer.from(`${line}\n${line}\n`) },
  validation: { filename: "validation.jsonl", content: Buffer.from(`${line}\n`) },
  baseModel: "gpt-4o-mini-2024-07-18",
  suffix: "support-2026w48",
  progress,
  onProgress: async (p: FineTuneProgress) => void saved.push({ ...p }),
  pollIntervalMs: 1,
});

describe("OpenAI fine-tuning through the real SDK", () => {
  it("uploads both files, starts a job with hyperparameters under method, and tracks it to success", async () => {
    const saved: FineTuneProgress[] = [];
    const started = await startOpenAIFineTune(input("run-a", {}, saved));
    expect(fake.files.get(started.trainingFileId)?.content).toContain("Where is my refund?");
    const job = fake.jobs.get(started.jobId)!;
    expect(job).toMatchObject({ model: "gpt-4o-mini-2024-07-18", training_file: started.trainingFileId, validation_file: started.validationFileId, suffix: "support-2026w48" });
    expect(job.method).toEqual({ type: "supervised", supervised: { hyperparameters: { n_epochs: "auto" } } });
    expect(saved.at(-1)).toEqual(started);

    const seen: string[] = [];
    let status;
    do {
      status = await pollOpenAIFineTune({ client, jobId: started.jobId });
      seen.push(status.status);
    } while (status.status !== "succeeded" && seen.length < 10);
    expect(seen).toEqual(["queued", "running", "succeeded"]);
    expect(status.fineTunedModel).toMatch(/^ft:gpt-4o-mini-2024-07-18:/);
    expect(status.events.map((e) => e.message)).toContain("The job has successfully completed");
  });

  it("resumes after a failed upload without uploading twice", async () => {
    // the training file goes up, the validation upload fails: the run stops there
    fake.script.failUploads = { skip: 1, count: 1, status: 500 };
    const saved: FineTuneProgress[] = [];
    await expect(startOpenAIFineTune(input("run-b", {}, saved))).rejects.toThrow();
    expect(saved).toHaveLength(1);
    const uploaded = saved[0]!.trainingFileId!;
    const filesBefore = fake.files.size;

    const resumed = await startOpenAIFineTune(input("run-b", saved[0]!, saved));
    expect(resumed.trainingFileId).toBe(uploaded);
    expect(fake.files.size - filesBefore).toBe(1); // only the validation file
    expect([...fake.jobs.values()].filter((j) => j.training_file === uploaded)).toHaveLength(1);
  });

  it("reports a failed job with OpenAI's message", async () => {
    fake.script.failJobsWith = "Training file has 3 examples; at least 10 are required.";
    const started = await startOpenAIFineTune(input("run-c", {}, []));
    fake.script.failJobsWith = undefined;
    let status;
    for (let i = 0; i < 5; i++) status = await pollOpenAIFineTune({ client, jobId: started.jobId });
    expect(status).toMatchObject({ status: "failed", fineTunedModel: null, error: "Training file has 3 examples; at least 10 are required." });
  });

  it("sends an Idempotency-Key per step", async () => {
    await startOpenAIFineTune(input("run-d", {}, []));
    const keys = fake.requests.filter((r) => r.method === "POST").map((r) => r.idempotencyKey);
    expect(keys).toEqual(expect.arrayContaining(["run-d-training-file", "run-d-validation-file", "run-d-job"]));
  });
});
