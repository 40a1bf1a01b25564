import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, inject, it } from "vitest";
import { GET } from "@/app/api/training/export/route";
import { getPool } from "@/lib/db/client";
import { buildDataset } from "@/lib/training/build-dataset";
import { exportJsonl } from "@/lib/training/export-jsonl";
import { streamDatasetJsonl } from "@/lib/training/stream-dataset-jsonl";
import { getDataset } from "@/lib/training/list-datasets";
import { readTrainingSettings } from "@/lib/training/read-training-settings";
import { reviewExamples } from "@/lib/training/review-examples";
import { splitFor } from "@/lib/training/split-dataset";
import { validateJsonl } from "@/lib/training/validate-jsonl";
import { writeJsonlFile } from "@/lib/training/write-jsonl-file";
import { createKey, createUser, findReplay } from "../support/factories";
import { randomWords, storeQuestionReplays, uniqueQuestion } from "../support/training-factories";

const PII = {
  name: "Jane Roe",
  email: "jane.roe@example.org",
  phone: "+44 20 7946 0958",
  card: "4111 1111 1111 1111",
  iban: "DE89 3704 0044 0532 0130 00",
  street: "221B Baker Street",
  order: "#48213",
};
const piiMessage = (words: string) =>
  `Hi, ${PII.name} here about ${words}. Card ${PII.card} was charged twice for order ${PII.order}; refund to ${PII.iban}. ` +
  `Call ${PII.phone} or mail ${PII.email}. I live at ${PII.street}, London NW1 6XE.`;

const cli = (args: string[]) =>
  promisify(execFile)(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/cli.ts", ...args], {
    env: { ...process.env, DATABASE_URL: inject("databaseUrl") },
  });

async function collect(chunks: AsyncIterable<Buffer>) {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts).toString("utf8");
}

async function exampleIdsOf(replayIds: string[]) {
  const { rows } = await getPool().query("SELECT id FROM training_log WHERE replay_id = ANY($1::uuid[]) ORDER BY created_at, id", [replayIds]);
  return rows.map((r) => r.id as string);
}

async function membersOf(datasetId: string) {
  const { rows } = await getPool().query("SELECT example_id, split FROM dataset_examples WHERE dataset_id = $1 ORDER BY ordinal", [datasetId]);
  return rows as { example_id: string; split: string }[];
}

describe("worst-prompts export (what the weekly job sends)", () => {
  it("redacts, drops duplicates, placeholders and over-long examples with counts, and validates", async () => {
    const words = randomWords(4);
    const fixed = { variant: () => piiMessage(words) };
    const replies = Array.from({ length: 11 }, (_, i) => `Dear ${PII.name}, ${randomWords(8)} (${i}). Reach us at help@shop.example.`);
    const stored = await storeQuestionReplays({ question: fixed, no: 11, reply: (i) => replies[i]!, extra: { customerName: PII.name } });
    // an exact duplicate of the first, a placeholder reply, and one far over the token limit
    const dup = await storeQuestionReplays({ question: fixed, no: 1, reply: () => replies[0]!, extra: { customerName: PII.name } });
    const placeholder = await storeQuestionReplays({ question: fixed, no: 1, reply: () => "N/A" });
    const long = await storeQuestionReplays({ question: fixed, no: 1, reply: () => `Long ${randomWords(3000)}` });

    const settings = { ...readTrainingSettings(), maxTokens: 5_000 };
    const { dataset, chunks } = await exportJsonl({ source: "worst-prompts", since: new Date(Date.now() - 3_600_000), threshold: 5, createdVia: "test", settings });
    const file = await collect(chunks);
    const recorded = (await getDataset(dataset.id))!;
    const members = await membersOf(dataset.id);
    const mine = await exampleIdsOf(stored.map((s) => s.id));
    expect(members.map((m) => m.example_id)).toEqual(expect.arrayContaining(mine));
    const memberIds = new Set(members.map((m) => m.example_id));
    for (const other of [dup, placeholder, long]) expect(memberIds.has((await exampleIdsOf([other[0]!.id]))[0]!)).toBe(false);
    expect(recorded.dropped.duplicate).toBeGreaterThanOrEqual(1);
    expect(recorded.dropped.unusable).toBeGreaterThanOrEqual(1);
    expect(recorded.dropped.tooLong).toBeGreaterThanOrEqual(1);

    for (const value of Object.values(PII)) expect(file).not.toContain(value);
    expect(file).not.toContain("help@shop.example");
    const line = file.split("\n").find((l) => l.includes(words))!;
    expect(JSON.parse(line)).toEqual({
      messages: [
        { role: "user", content: `Hi, [NAME] here about ${words}. Card [CARD] was charged twice for order [ORDER_ID]; refund to [IBAN]. Call [PHONE] or mail [EMAIL]. I live at [ADDRESS].` },
        { role: "assistant", content: expect.stringMatching(/^Dear \[NAME\], .* Reach us at \[EMAIL\]\.$/) },
      ],
    });

    expect(recorded).toMatchObject({ status: "complete", source: "worst-prompts", createdVia: "test", exampleCount: members.length });
    expect(recorded.sha256).toBe(createHash("sha256").update(file).digest("hex"));
    expect(recorded.bytes).toBe(Buffer.byteLength(file));
    expect(recorded.validation).toEqual(await validateJsonl(file));
    expect(recorded.validation?.ok).toBe(true);
    // Streaming it again gives the same bytes.
    expect(await collect(streamDatasetJsonl(dataset.id))).toBe(file);
  });

  it("splits by prompt group, deterministically, and adds the system prompt when configured", async () => {
    const groups = [];
    for (let g = 0; g < 6; g++) {
      const question = uniqueQuestion();
      const stored = await storeQuestionReplays({ question, no: 6 });
      groups.push({ groupId: (await findReplay(stored[0]!.id))!.promptGroupId!, examples: await exampleIdsOf(stored.map((s) => s.id)) });
    }
    const settings = { ...readTrainingSettings(), validationShare: 0.5, systemPrompt: "You are Shop's support agent." };
    const since = new Date(Date.now() - 3_600_000);
    const train = await buildDataset({ source: "worst-prompts", split: "train", since, createdVia: "test", settings });
    const validation = await buildDataset({ source: "worst-prompts", split: "validation", since, createdVia: "test", settings });
    const trainIds = new Set((await membersOf(train.id)).map((m) => m.example_id));
    const validationIds = new Set((await membersOf(validation.id)).map((m) => m.example_id));
    for (const group of groups) {
      const side = splitFor(group.groupId, 0.5);
      for (const id of group.examples) {
        expect(trainIds.has(id)).toBe(side === "train");
        expect(validationIds.has(id)).toBe(side === "validation");
      }
    }
    const file = await collect(streamDatasetJsonl(train.id));
    expect(JSON.parse(file.split("\n")[0]!).messages[0]).toEqual({ role: "system", content: "You are Shop's support agent." });
  });
});

describe("an export that stops early", () => {
  it("is marked aborted and records no members", async () => {
    await storeQuestionReplays({ question: uniqueQuestion(), no: 7 });
    const { dataset, chunks } = await exportJsonl({ source: "worst-prompts", since: new Date(Date.now() - 3_600_000), createdVia: "test" });
    const first = await chunks.next();
    expect(first.done).toBe(false);
    await chunks.return(undefined); // the client went away
    expect((await getDataset(dataset.id))?.status).toBe("aborted");
    expect(await membersOf(dataset.id)).toEqual([]);
  });
});

describe("approved export", () => {
  it("contains approved examples only, and never merged or rejected ones", async () => {
    const manager = await createUser("manager");
    const stored = await storeQuestionReplays({ question: uniqueQuestion(), no: 3 });
    const [a, b, c] = await exampleIdsOf(stored.map((s) => s.id));
    await reviewExamples({ ids: [a!], decision: "approve", reviewerId: manager.id });
    await reviewExamples({ ids: [b!], decision: "reject", reviewerId: manager.id });
    const dataset = await buildDataset({ source: "approved", createdVia: "test", createdBy: manager.id });
    const ids = (await membersOf(dataset.id)).map((m) => m.example_id);
    expect(ids).toContain(a);
    expect(ids).not.toContain(b);
    expect(ids).not.toContain(c);
  });
});

describe("GET /api/training/export", () => {
  const get = (query: string, key?: string) =>
    GET(new Request(`http://localhost/api/training/export${query}`, { headers: key ? { authorization: `Bearer ${key}` } : {} }));

  it("streams x-ndjson to an API key with the training:export scope, and records the snapshot", async () => {
    const { key } = await createKey(["training:export"]);
    const response = await get("?source=approved", key);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
    const text = await response.text();
    const datasetId = response.headers.get("x-dataset-id")!;
    const recorded = (await getDataset(datasetId))!;
    expect(recorded).toMatchObject({ status: "complete", createdVia: "api", apiKeyName: expect.any(String) });
    expect(recorded.sha256).toBe(createHash("sha256").update(text).digest("hex"));

    const again = await get(`?dataset=${datasetId}`, key);
    expect(await again.text()).toBe(text);
    expect(again.headers.get("x-dataset-sha256")).toBe(recorded.sha256);
  });

  it("refuses a wrong key (401), a key without the scope (403), and bad parameters (400)", async () => {
    expect((await get("", "frk_000000000000_" + "a".repeat(32))).status).toBe(401);
    const { key: feedbackKey } = await createKey(["feedback:write"]);
    expect((await get("", feedbackKey)).status).toBe(403);
    const { key } = await createKey(["training:export"]);
    const bad = await get("?source=everything", key);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.issues[0].path).toBe("source");
  });
});

describe("npm run cli -- export", () => {
  it("writes the file through the same path and prints the snapshot", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "export-"));
    const out = path.join(dir, "approved.jsonl");
    const row = await writeJsonlFile({ out, request: { source: "approved", createdVia: "cli" } });
    expect(row.sha256).toBe(createHash("sha256").update(readFileSync(out)).digest("hex"));

    const worst = path.join(dir, "worst.jsonl");
    // Exit code 2 means "written, but the validator objects" (e.g. fewer than 10 examples).
    const { stdout } = await cli(["export", "--worst-prompts", "--split", "train", "--out", worst]).catch((e) => {
      if (e.code !== 2) throw e;
      return e as { stdout: string };
    });
    const datasetId = /dataset ([0-9a-f-]{36})/.exec(stdout)![1]!;
    expect(await getDataset(datasetId)).toMatchObject({ source: "worst-prompts", split: "train", createdVia: "cli", sha256: createHash("sha256").update(readFileSync(worst)).digest("hex") });
    const validated = await cli(["training", "validate", worst]).catch((e) => e as { stdout: string });
    expect(validated.stdout).toMatch(/Validation: \d+ lines/);
  });

  it("explains a bad --split", async () => {
    await expect(cli(["export", "--out", "/tmp/x.jsonl", "--split", "both"])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining("--split") });
  });
});
