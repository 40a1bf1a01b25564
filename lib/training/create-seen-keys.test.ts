import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createSeenKeys } from "@/lib/training/create-seen-keys";

describe("createSeenKeys", () => {
  it("remembers keys across growth", () => {
    const seen = createSeenKeys(4);
    const keys = Array.from({ length: 5000 }, (_, i) => createHash("md5").update(String(i)).digest("hex"));
    expect(keys.every((k) => seen.addIfNew(k))).toBe(true);
    expect(keys.some((k) => seen.addIfNew(k))).toBe(false);
    expect(seen.size).toBe(5000);
  });
});

describe("createSeenKeys().addIfNewAscii", () => {
  it("is addIfNew on the same text, hex or not", () => {
    const keys = [
      ...Array.from({ length: 3000 }, (_, i) => createHash("md5").update(String(i % 2000)).digest("hex")),
      "ABCDEF0123456789ffff",
      "abcdef0123456789",
      "0000000000000000ab",
      "0000000000000000cd",
      "ffffffffffffffff",
      "12zz",
      "",
      "not hex at all, but long enough",
    ];
    const byString = createSeenKeys(4);
    const byBytes = createSeenKeys(4);
    for (const key of keys) {
      const bytes = Buffer.from(`..${key}..`, "latin1");
      expect(byBytes.addIfNewAscii(bytes, 2, key.length)).toBe(byString.addIfNew(key));
    }
    expect(byBytes.size).toBe(byString.size);
  });
});
