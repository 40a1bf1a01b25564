import { describe, expect, it } from "vitest";
import { splitFor } from "@/lib/training/split-dataset";

describe("splitFor", () => {
  it("is deterministic and follows the share", () => {
    const keys = Array.from({ length: 2000 }, (_, i) => `group-${i}`);
    const first = keys.map((k) => splitFor(k, 0.2));
    expect(keys.map((k) => splitFor(k, 0.2))).toEqual(first);
    const share = first.filter((s) => s === "validation").length / keys.length;
    expect(share).toBeGreaterThan(0.17);
    expect(share).toBeLessThan(0.23);
    expect(keys.every((k) => splitFor(k, 0) === "train")).toBe(true);
  });
});
