import { describe, expect, it } from "vitest";
import { serializeJsonlExample, toJsonlExample } from "@/lib/training/serialize-jsonl-example";
import { createJsonlValidator, describeProblems, validateJsonl } from "@/lib/training/validate-jsonl";

const example = (i: number) =>
  JSON.stringify({ messages: [{ role: "system", content: "Be kind." }, { role: "user", content: `Question ${i}` }, { role: "assistant", content: `Answer ${i}` }] });

describe("validateJsonl", () => {
  it("passes a file of ten valid examples with a trailing newline", async () => {
    const file = Array.from({ length: 10 }, (_, i) => example(i)).join("\n") + "\n";
    const report = await validateJsonl(file);
    expect(report).toMatchObject({ ok: true, lines: 10, validExamples: 10, problems: {} });
  });

  it("needs at least ten examples", async () => {
    const report = await validateJsonl(example(1));
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual({ too_few_examples: 1 });
  });

  it("counts each documented problem with line numbers", async () => {
    const lines = [
      "{not json",
      "[1,2]",
      JSON.stringify({ prompt: "a", completion: "b" }),
      JSON.stringify({ messages: [{ role: "user", content: "hi" }], extra: 1 }),
      JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
      JSON.stringify({ messages: [{ role: "robot", content: "hi" }, { role: "assistant", content: "ok" }] }),
      JSON.stringify({ messages: [{ role: "user", content: 42 }, { role: "assistant", content: "ok" }] }),
      JSON.stringify({ messages: [{ role: "user", content: "hi", mood: "angry" }, { role: "assistant", content: "ok" }] }),
      JSON.stringify({ messages: [{ role: "user", content: "hi" }, { role: "assistant", content: "  " }] }),
      JSON.stringify({ messages: [] }),
      JSON.stringify({ messages: ["hi", { role: "assistant", content: "ok" }] }),
      "",
      ...Array.from({ length: 10 }, (_, i) => example(i)),
    ];
    const report = await validateJsonl(lines);
    expect(report.ok).toBe(false);
    expect(report.lines).toBe(22);
    expect(report.validExamples).toBe(10);
    expect(report.problems).toEqual({
      invalid_json: 2,
      not_an_object: 1,
      unknown_top_level_key: 2,
      missing_messages: 1,
      no_assistant_message: 2,
      unknown_role: 1,
      missing_content: 1,
      unknown_message_key: 1,
      empty_content: 1,
      empty_messages: 1,
      message_not_an_object: 1,
    });
    expect(report.samples[0]).toEqual({ line: 1, code: "invalid_json" });
    expect(describeProblems(report)).toContain("2 × line is not valid JSON");
  });
});

describe("createJsonlValidator().example", () => {
  it("applies the same rules to a value as to its line", async () => {
    const { createJsonlValidator } = await import("@/lib/training/validate-jsonl");
    const values = [
      { messages: [{ role: "user", content: "hi" }, { role: "assistant", content: "ok" }] },
      { messages: [{ role: "user", content: "hi" }] },
      { messages: [{ role: "robot", content: 1 }], extra: true },
    ];
    const byValue = createJsonlValidator();
    const byLine = createJsonlValidator();
    for (const value of values) {
      byValue.example(value);
      byLine.line(JSON.stringify(value));
    }
    expect(byValue.report()).toEqual(byLine.report());
  });
});

describe("createJsonlValidator().chatExample", () => {
  it("counts an export's line exactly as checking the example object, and as the line itself, does", async () => {
    const texts = ["Question", "", "  ", "\u00a0\n", "Answer \u{1F642}", "\t\tx"];
    const byObject = createJsonlValidator();
    const byBytes = createJsonlValidator();
    const lines: string[] = [];
    for (const systemPrompt of [null, "", "Be kind.", " \n "]) {
      for (const prompt of texts) {
        for (const completion of texts) {
          const example = toJsonlExample({ systemPrompt, prompt, completion });
          byObject.example(example);
          lines.push(serializeJsonlExample(example));
          const blank = (text: string) => text.trim() === "";
          byBytes.chatExample((Boolean(systemPrompt) && blank(systemPrompt!)) || blank(prompt) || blank(completion));
        }
      }
    }
    expect(byBytes.report()).toEqual(byObject.report());
    expect(byBytes.report()).toEqual(await validateJsonl(lines.join("\n")));
    expect(byBytes.report().problems.empty_content).toBeGreaterThan(0);
  });
});
