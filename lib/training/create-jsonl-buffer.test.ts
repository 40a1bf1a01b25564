import { describe, expect, it } from "vitest";
import { createJsonlBuffer, isBlankJsonString, isBlankUtf8 } from "@/lib/training/create-jsonl-buffer";
import { serializeJsonlExample, toJsonlExample } from "@/lib/training/serialize-jsonl-example";

const TRICKY = [
  "",
  "plain",
  'He said "hi"\nand left\t\\ 🙂',
  "Line\u2028sep \u0000 ctrl \u001f and </script> \u007f",
  Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join(""),
  "Ünïcödé — €, 中文, 𝄞, \uFEFF BOM",
];

function randomText(): string {
  const pool = ["a", "Z", " ", "\n", "\t", "\r", "\v", "\b", "\f", '"', "\\", "\u0001", "\u001b", "é", "€", "🙂", "\u2028", "\u00a0", "\ufeff", "/"];
  return Array.from({ length: Math.floor(Math.random() * 40) }, () => pool[Math.floor(Math.random() * pool.length)]).join("");
}

/** A text as binary COPY delivers it, at an offset of a larger buffer: raw UTF-8 or to_json's literal. */
function asBytes(text: string, texts: "utf8" | "json"): [Buffer, number, number] {
  const bytes = Buffer.from(texts === "json" ? JSON.stringify(text) : text);
  return [Buffer.concat([Buffer.from("xyz"), bytes, Buffer.from("!")]), 3, bytes.length];
}

describe.each(["utf8", "json"] as const)("createJsonlBuffer with %s texts", (texts) => {
  it("writes the bytes of serializeJsonlExample + newline", () => {
    const samples = [...TRICKY, ...Array.from({ length: 200 }, randomText)];
    for (const systemPrompt of [null, "", "Be kind.", 'Say "please"\n']) {
      for (let i = 0; i < samples.length; i++) {
        const [prompt, completion] = [samples[i]!, samples[(i * 7 + 3) % samples.length]!];
        const lines = createJsonlBuffer({ systemPrompt, chunkBytes: 64, texts });
        const [p, pAt, pLength] = asBytes(prompt, texts);
        const [c, cAt, cLength] = asBytes(completion, texts);
        const both = Buffer.concat([p, c]);
        lines.add(both, pAt, pLength, p.length + cAt, cLength);
        expect(lines.take({ all: true })!.toString("utf8")).toBe(serializeJsonlExample(toJsonlExample({ systemPrompt, prompt, completion })) + "\n");
      }
    }
  });

  it("writes a NULL text as JSON.stringify(null) does", () => {
    const lines = createJsonlBuffer({ systemPrompt: null, chunkBytes: 64, texts });
    const [a, at, length] = asBytes("a", texts);
    lines.add(a, 0, -1, at, length);
    expect(lines.take({ all: true })!.toString()).toBe('{"messages":[{"role":"user","content":null},{"role":"assistant","content":"a"}]}\n');
  });

  it("hands out chunks of about chunkBytes, never writes one again once taken, and fits a line larger than a chunk", () => {
    const lines = createJsonlBuffer({ systemPrompt: null, chunkBytes: 100, texts });
    const small = asBytes("x".repeat(30), texts);
    const big = asBytes("\u0001".repeat(500), texts); // 3,000 bytes escaped, twice in a line
    const taken: Buffer[] = [];
    const asTaken: string[] = [];
    const keep = (chunk: Buffer) => {
      taken.push(chunk);
      asTaken.push(chunk.toString("latin1"));
    };
    expect(lines.full).toBe(false);
    for (let i = 0; i < 20; i++) {
      const [bytes, at, length] = i === 10 ? big : small;
      lines.add(bytes, at, length, at, length);
      for (let chunk = lines.take(); chunk; chunk = lines.take()) keep(chunk);
      expect(lines.full).toBe(false);
    }
    for (let chunk = lines.take({ all: true }); chunk; chunk = lines.take({ all: true })) keep(chunk);
    expect(taken.map((c) => c.toString("latin1"))).toEqual(asTaken);
    expect(taken.slice(0, -1).every((c) => c.length >= 100)).toBe(true);
    const file = Buffer.concat(taken).toString("utf8").split("\n");
    expect(file.pop()).toBe("");
    expect(file).toHaveLength(20);
    expect(JSON.parse(file[10]!).messages[0].content).toBe("\u0001".repeat(500));
  });
});

describe("isBlankUtf8 and isBlankJsonString", () => {
  it("agree with String.prototype.trim on the text", () => {
    const samples = ["", " ", "\t\n\r\v\f ", "\u00a0", "\u2003\u3000\ufeff", " a", "\u00a0é", "\u2028", "x", " \u200b ", "\b", ' "', "\\", ...Array.from({ length: 300 }, randomText)];
    for (const text of samples) {
      expect(isBlankUtf8(...asBytes(text, "utf8"))).toBe(text.trim() === "");
      expect(isBlankJsonString(...asBytes(text, "json"))).toBe(text.trim() === "");
    }
  });
});
