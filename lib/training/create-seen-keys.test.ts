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
