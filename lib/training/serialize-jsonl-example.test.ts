import { describe, expect, it } from "vitest";
import { serializeJsonlExample, toJsonlExample } from "@/lib/training/serialize-jsonl-example";

describe("serializeJsonlExample", () => {
  it("writes exactly what JSON.stringify writes, escapes included", () => {
    for (const [prompt, completion] of [
      ['He said "hi"\nand left\t\\ 🙂', "Line\u2028sep \u0000 ctrl \u001f and </script>"],
      ["plain", "plain"],
    ] as const) {
      for (const systemPrompt of [null, "Be kind."]) {
        const example = toJsonlExample({ systemPrompt, prompt, completion });
        expect(serializeJsonlExample(example)).toBe(JSON.stringify(example));
      }
    }
  });
});
