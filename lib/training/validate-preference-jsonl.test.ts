import { describe, expect, it } from "vitest";
import { createJsonlBuffer } from "@/lib/training/create-jsonl-buffer";
import { serializePreferenceExample, toPreferenceExample } from "@/lib/training/serialize-preference-example";
import { validatePreferenceJsonl } from "@/lib/training/validate-preference-jsonl";

const good = (i = 0) => JSON.stringify(toPreferenceExample({ systemPrompt: "Be kind.", prompt: `Where is my refund ${"x".repeat(i)}?`, preferred: "Issued today, back in 3 days.", rejected: "Please wait." }));

describe("the preference (DPO) validator", () => {
  it("accepts the lines the export writes", async () => {
    const report = await validatePreferenceJsonl([good(1), good(2), good(3)].join("\n") + "\n", { minExamples: 3 });
    expect(report).toMatchObject({ ok: true, lines: 3, validExamples: 3, problems: {} });
  });

  it("names each problem of a bad line", async () => {
    const lines = [
      "{not json",
      "[]",
      JSON.stringify({ messages: [{ role: "user", content: "hi" }] }), // a chat line, not a pair
      JSON.stringify({ input: { messages: [] }, preferred_output: [{ role: "assistant", content: "a" }], non_preferred_output: [{ role: "assistant", content: "b" }] }),
      JSON.stringify({ input: { messages: [{ role: "user", content: "q" }, { role: "assistant", content: "x" }] }, preferred_output: [{ role: "assistant", content: "a" }], non_preferred_output: [{ role: "assistant", content: "b" }] }),
      JSON.stringify({ input: { messages: [{ role: "user", content: "q" }] }, preferred_output: [{ role: "user", content: "a" }], non_preferred_output: [{ role: "assistant", content: "b" }] }),
      JSON.stringify({ input: { messages: [{ role: "user", content: "q" }] }, preferred_output: [{ role: "assistant", content: "same" }], non_preferred_output: [{ role: "assistant", content: " same " }] }),
      JSON.stringify({ input: { messages: [{ role: "robot", content: "" }] }, preferred_output: [{ role: "assistant", content: "a" }], non_preferred_output: [] }),
      JSON.stringify({ input: { messages: [{ role: "user", content: "q" }] }, preferred_output: [{ role: "assistant", content: "a", weight: 1 }], non_preferred_output: [{ role: "assistant", content: "b" }], extra: 1 }),
    ];
    const report = await validatePreferenceJsonl(lines, { minExamples: 1 });
    expect(report.ok).toBe(false);
    expect(report.validExamples).toBe(0);
    expect(report.samples.map((s) => [s.line, s.code])).toEqual(
      expect.arrayContaining([
        [1, "invalid_json"],
        [2, "not_an_object"],
        [3, "unknown_top_level_key"],
        [3, "missing_input"],
        [4, "empty_messages"],
        [5, "last_not_user"],
        [6, "missing_preferred_output"],
        [7, "same_outputs"],
        [8, "unknown_role"],
        [8, "empty_content"],
        [8, "missing_non_preferred_output"],
        [9, "unknown_message_key"],
        [9, "unknown_top_level_key"],
      ]),
    );
    expect(report.problems.too_few_examples).toBe(1);
  });

  it("counts a file under the target's minimum as too few", async () => {
    expect((await validatePreferenceJsonl([good(1), good(2)], { minExamples: 3 })).problems).toEqual({ too_few_examples: 1 });
    expect((await validatePreferenceJsonl([good(1), good(2), good(3)], { minExamples: 3 })).ok).toBe(true);
  });
});

describe("preference lines from bytes", () => {
  it("are the same bytes as serializePreferenceExample, with and without a system prompt", () => {
    for (const systemPrompt of [null, "You answer for Acme."]) {
      const texts = { prompt: 'My "order" is late\n', preferred: "Sorry! It ships today.", rejected: "Wait.\t" };
      const lines = createJsonlBuffer({ systemPrompt, chunkBytes: 1024, texts: "utf8", format: "dpo" });
      const bytes = Buffer.from(texts.prompt + texts.preferred + texts.rejected);
      const [p, a] = [Buffer.byteLength(texts.prompt), Buffer.byteLength(texts.preferred)];
      lines.add(bytes, 0, p, p, a, p + a, Buffer.byteLength(texts.rejected));
      const out = lines.take({ all: true })!.toString();
      expect(out).toBe(serializePreferenceExample(toPreferenceExample({ systemPrompt, ...texts })) + "\n");
      expect(JSON.parse(out)).toEqual(toPreferenceExample({ systemPrompt, ...texts }));
    }
  });
});
