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
import { createMemberWriter } from "@/lib/training/create-member-writer";
import { exportJsonl } from "@/lib/training/export-jsonl";
import { streamDatasetJsonl } from "@/lib/training/stream-dataset-jsonl";
import { getDataset } from "@/lib/training/list-datasets";
import { listExampleDatasets } from "@/lib/training/list-example-datasets";
import { serializeJsonlExample, toJsonlExample } from "@/lib/training/serialize-jsonl-example";
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

/** A snapshot's members in file order, read straight from its chunks. */
async function membersOf(datasetId: string) {
  const { rows } = await getPool().query(
    `SELECT m.example_id, CASE WHEN m.validation THEN 'validation' ELSE 'train' END AS split, c.first_ordinal + m.n - 1 AS ordinal
     FROM dataset_chunks c CROSS JOIN LATERAL unnest(c.example_ids, c.validation) WITH ORDINALITY AS m(example_id, validation, n)
     WHERE c.dataset_id = $1 ORDER BY c.first_ordinal, m.n`,
    [datasetId],
  );
  expect(rows.map((r) => Number(r.ordinal))).toEqual(rows.map((_, i) => i + 1)); // chunks follow each other without gaps
  return rows.map(({ example_id, split }) => ({ example_id, split })) as { example_id: string; split: string }[];
}

/** The file a snapshot's members make, line by line from their texts, with the string serialiser. */
async function fileOfMembers(datasetId: string, { systemPrompt = null, split }: { systemPrompt?: string | null; split?: string } = {}) {
  const members = (await membersOf(datasetId)).filter((m) => !split || m.split === split);
  const { rows } = await getPool().query("SELECT id, clean_prompt, clean_completion FROM training_log WHERE id = ANY($1::uuid[])", [members.map((m) => m.example_id)]);
  const texts = new Map(rows.map((r) => [r.id as string, r]));
  return members.map((m) => serializeJsonlExample(toJsonlExample({ systemPrompt, prompt: texts.get(m.example_id).clean_prompt, completion: texts.get(m.example_id).clean_completion })) + "\n").join("");
}

describe("PostgreSQL's to_json(text)", () => {
  it("escapes exactly as JSON.stringify does, so exports can take its bytes as they come", async () => {
    const samples = Array.from({ length: 127 }, (_, i) => `${String.fromCharCode(i + 1)}x${String.fromCharCode(i + 1)}`);
    for (const cp of [0x80, 0x9f, 0xa0, 0xad, 0x200b, 0x2028, 0x2029, 0xd7ff, 0xe000, 0xfeff, 0xfffd, 0xffff, 0x1f642, 0x10ffff]) samples.push(String.fromCodePoint(cp));
    samples.push('He said "hi"\nand left\t\\ 🙂 </script> \u007f', "");
    const { rows } = await getPool().query("SELECT convert_to(to_json(s)::text, 'UTF8') AS json FROM unnest($1::text[]) WITH ORDINALITY AS u(s, n) ORDER BY n", [samples]);
    expect(rows.map((r) => (r.json as Buffer).toString("hex"))).toEqual(samples.map((text) => Buffer.from(JSON.stringify(text)).toString("hex")));
  });
});

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
    // The members are the file's lines, in its order; streaming it again gives the same bytes.
    expect(await fileOfMembers(dataset.id)).toBe(file);
    expect(await collect(streamDatasetJsonl(dataset.id))).toBe(file);
    // Lineage: each example of this question knows the snapshot, the dropped ones do not.
    for (const id of mine) expect((await listExampleDatasets(id)).map((d) => d.id)).toContain(dataset.id);
    for (const other of [dup, placeholder, long]) {
      expect((await listExampleDatasets((await exampleIdsOf([other[0]!.id]))[0]!)).map((d) => d.id)).not.toContain(dataset.id);
    }
  });

  it("splits by wording (the split key), deterministically, and adds the system prompt when configured", async () => {
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
    // One key per wording: the variants that normalise alike share it, so they share a side.
    const keys = await getPool().query<{ id: string; split_key: string }>("SELECT id, split_key FROM training_log WHERE id = ANY($1::uuid[])", [groups.flatMap((g) => g.examples)]);
    const keyOf = new Map(keys.rows.map((r) => [r.id, r.split_key]));
    for (const group of groups) {
      expect(new Set(group.examples.map((id) => keyOf.get(id))).size).toBeLessThanOrEqual(2); // "where is my X" ×5 and "… order #n" (near-identical: may share)
      for (const id of group.examples) {
        const side = splitFor(keyOf.get(id)!, 0.5);
        expect(trainIds.has(id)).toBe(side === "train");
        expect(validationIds.has(id)).toBe(side === "validation");
      }
    }
    const file = await collect(streamDatasetJsonl(train.id));
    expect(JSON.parse(file.split("\n")[0]!).messages[0]).toEqual({ role: "system", content: "You are Shop's support agent." });
    expect(await fileOfMembers(train.id, { systemPrompt: settings.systemPrompt })).toBe(file);

    // Both sides in one snapshot: every member on its group's side, lineage says which, and a
    // download of one side is exactly that side's lines.
    const both = await buildDataset({ source: "worst-prompts", since, createdVia: "test", settings });
    const sideOf = new Map(groups.flatMap((g) => g.examples.map((id) => [id, splitFor(keyOf.get(id)!, 0.5)] as const)));
    const members = await membersOf(both.id);
    for (const m of members) if (sideOf.has(m.example_id)) expect(m.split).toBe(sideOf.get(m.example_id));
    expect(members.filter((m) => m.split === "train")).toHaveLength(both.trainCount);
    for (const [id, side] of [...sideOf].slice(0, 8)) {
      expect((await listExampleDatasets(id)).find((d) => d.id === both.id)).toMatchObject({ source: "worst-prompts", split: side });
    }
    for (const side of ["train", "validation"] as const) {
      expect(await collect(streamDatasetJsonl(both.id, { split: side }))).toBe(await fileOfMembers(both.id, { systemPrompt: settings.systemPrompt, split: side }));
    }
  });
});

describe("a snapshot in many chunks", () => {
  it("downloads the same bytes in the same order, side by side, and lineage finds every member", async () => {
    for (let g = 0; g < 3; g++) await storeQuestionReplays({ question: uniqueQuestion(), no: 6 });
    const settings = { ...readTrainingSettings(), validationShare: 0.5, systemPrompt: "Be brief." };
    const dataset = await buildDataset({ source: "worst-prompts", since: new Date(Date.now() - 3_600_000), createdVia: "test", settings });
    const file = await collect(streamDatasetJsonl(dataset.id));
    const members = await membersOf(dataset.id);
    expect(members.length).toBeGreaterThanOrEqual(18);
    expect(new Set(members.map((m) => m.split))).toEqual(new Set(["train", "validation"]));

    // The same members rewritten by the export's own writer, four to a chunk.
    const client = await getPool().connect();
    try {
      await client.query("BEGIN");
      await client.query("DELETE FROM dataset_chunks WHERE dataset_id = $1", [dataset.id]);
      const writer = createMemberWriter({ client, datasetId: dataset.id, perChunk: 4 });
      const { rows } = await client.query(
        `SELECT uuid_send(t.id) AS id, timestamptz_send(t.created_at) AS created_at
         FROM unnest($1::uuid[]) WITH ORDINALITY AS m(id, n) JOIN training_log t ON t.id = m.id ORDER BY m.n`,
        [members.map((m) => m.example_id)],
      );
      rows.forEach((row, i) => writer.add(Buffer.concat([row.id, row.created_at]), 0, members[i]!.split === "validation", 16));
      expect(await writer.finish()).toBe(members.length);
      await client.query("COMMIT");
    } finally {
      client.release();
    }
    const { rows: chunks } = await getPool().query("SELECT count(*)::int AS n FROM dataset_chunks WHERE dataset_id = $1", [dataset.id]);
    expect(chunks[0].n).toBe(Math.ceil(members.length / 4));

    expect(await membersOf(dataset.id)).toEqual(members);
    expect(await collect(streamDatasetJsonl(dataset.id))).toBe(file);
    for (const side of ["train", "validation"] as const) {
      expect(await collect(streamDatasetJsonl(dataset.id, { split: side }))).toBe(await fileOfMembers(dataset.id, { systemPrompt: "Be brief.", split: side }));
    }
    for (const m of members) expect((await listExampleDatasets(m.example_id)).find((d) => d.id === dataset.id)?.split).toBe(m.split);
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
