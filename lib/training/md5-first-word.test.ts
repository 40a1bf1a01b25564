import { createHash, randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MD5_ONE_BLOCK_MAX, md5FirstWord } from "@/lib/training/md5-first-word";
import { createUuidSplitter, splitFor } from "@/lib/training/split-dataset";

const reference = (bytes: Buffer) => parseInt(createHash("md5").update(bytes).digest("hex").slice(0, 8), 16);

describe("md5FirstWord", () => {
  it("equals the first 8 hex digits of node:crypto's md5 for every length of one block", () => {
    for (let length = 0; length <= MD5_ONE_BLOCK_MAX; length++) {
      for (let i = 0; i < 200; i++) {
        const bytes = randomBytes(length + 3);
        expect(md5FirstWord(bytes, 3, length)).toBe(reference(bytes.subarray(3)));
      }
    }
    expect(md5FirstWord(Buffer.from(""), 0, 0)).toBe(0xd41d8cd9); // md5("") = d41d8cd9…
  });

  it("refuses a message longer than one block", () => {
    expect(() => md5FirstWord(new Uint8Array(56), 0, 56)).toThrow(RangeError);
  });
});

describe("createUuidSplitter", () => {
  it("splits a uuid's bytes exactly as splitFor splits its text", () => {
    for (const share of [0, 0.1, 0.5, 0.9]) {
      const split = createUuidSplitter(share);
      for (let i = 0; i < 2000; i++) {
        const id = randomUUID();
        const bytes = Buffer.concat([Buffer.from([7, 7]), Buffer.from(id.replaceAll("-", ""), "hex")]);
        expect(split(bytes, 2)).toBe(splitFor(id, share));
      }
    }
  });
});
