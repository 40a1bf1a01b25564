import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, inject, it } from "vitest";
import { GET } from "@/app/api/training/export/route";
import { storeFeedbackReplay } from "@/lib/feedback/storage";
import { groupPendingReplays } from "@/lib/meaning/group-pending-replays";
import { getDataset } from "@/lib/training/list-datasets";
import { validatePreferenceJsonl } from "@/lib/training/validate-preference-jsonl";
import { createKey } from "../support/factories";
import { randomWords } from "../support/training-factories";

const cli = (args: string[]) =>
  promisify(execFile)(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/cli.ts", ...args], {
    env: { ...process.env, DATABASE_URL: inject("databaseUrl") },
  });

/** Six "not useful" on one question of its own, with personal data in the message and in both replies. */
async function storePairs() {
  const words = randomWords(4);
  for (let i = 0; i < 6; i++) {
    await storeFeedbackReplay({
      message: `Hi, Jane Roe here: where is my ${words}? Mail jane.roe@example.org`,
      aiReply: `Please wait, Jane. We will call +44 20 7946 0958 about ${words}.`,
      agentReply: `Sorry Jane, ${words} ships today; the card 4111 1111 1111 1111 was refunded (reply ${randomWords(3)}).`,
      feedback: "no",
      customerName: "Jane Roe",
    });
  }
  // Not a pair: the agent sent the AI's reply word for word.
  await storeFeedbackReplay({ message: `where is my ${words}`, aiReply: `Same ${words} reply.`, agentReply: `Same ${words} reply.`, feedback: "no" });
  await groupPendingReplays({ waitMs: 30_000 });
  return words;
}

const ours = (text: string, words: string) => text.split("\n").filter((l) => l.includes(words));

describe("preference (DPO) export", () => {
  it("streams one pair per 'not useful' with an agent reply, both outputs redacted, and passes its validator", async () => {
    const words = await storePairs();
    const { key } = await createKey(["training:export"]);
    const response = await GET(new Request("http://localhost/api/training/export?format=dpo&source=worst-prompts&days=1", { headers: { authorization: `Bearer ${key}` } }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toMatch(/-dpo-/);
    const text = await response.text();
    expect((await validatePreferenceJsonl(text, { minExamples: 1 })).ok).toBe(true);
    const lines = ours(text, words).map((l) => JSON.parse(l));
    expect(lines).toHaveLength(6);
    for (const line of lines) {
      expect(Object.keys(line)).toEqual(["input", "preferred_output", "non_preferred_output"]);
      const all = JSON.stringify(line);
      for (const pii of ["Jane", "jane.roe@example.org", "7946 0958", "4111 1111"]) expect(all).not.toContain(pii);
      expect(line.input.messages.at(-1).content).toContain("[EMAIL]");
      expect(line.preferred_output[0].content).toContain("[CARD]");
      expect(line.non_preferred_output[0].content).toContain("[PHONE]");
      expect(line.non_preferred_output[0].content).toContain("Please wait");
    }
    expect(text).not.toContain(`Same ${words} reply.`);

    const dataset = await getDataset(response.headers.get("x-dataset-id")!);
    expect(dataset).toMatchObject({ format: "dpo", status: "complete" });
    const again = await GET(new Request(`http://localhost/api/training/export?dataset=${dataset!.id}`, { headers: { authorization: `Bearer ${key}` } }));
    expect(await again.text()).toBe(text); // downloaded again: the same preference lines
  });

  it("refuses a format it does not know", async () => {
    const { key } = await createKey(["training:export"]);
    const response = await GET(new Request("http://localhost/api/training/export?format=kto", { headers: { authorization: `Bearer ${key}` } }));
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain("format must be sft or dpo");
  });

  it("npm run cli -- export --format dpo writes the file; training validate --format dpo checks it", async () => {
    const words = await storePairs();
    const out = path.join(mkdtempSync(path.join(tmpdir(), "dpo-")), "pairs.jsonl");
    const { stdout } = await cli(["export", "--format", "dpo", "--worst-prompts", "--days", "1", "--out", out]);
    expect(stdout).toMatch(/Wrote \d+ preference pairs/);
    expect(ours(readFileSync(out, "utf8"), words)).toHaveLength(6);
    const checked = await cli(["training", "validate", out, "--format", "dpo"]);
    expect(checked.stdout).toMatch(/OK for fine-tuning/);
    await expect(cli(["export", "--format", "orpo", "--out", out])).rejects.toMatchObject({ stderr: expect.stringContaining("--format must be sft or dpo") });
  }, 180_000);
});
