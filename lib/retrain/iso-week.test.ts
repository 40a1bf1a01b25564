import { describe, expect, it } from "vitest";
import { isoWeek, isoWeekStart } from "@/lib/retrain/iso-week";

describe("isoWeek", () => {
  it.each([
    ["2026-11-26T12:00:00Z", "2026-W48"],
    ["2026-01-01T00:00:00Z", "2026-W01"], // a Thursday
    ["2027-01-01T00:00:00Z", "2026-W53"], // a Friday: still the last week of 2026
    ["2024-12-30T00:00:00Z", "2025-W01"], // a Monday that belongs to the next ISO year
    ["2026-11-29T23:59:59Z", "2026-W48"], // Sunday night is the same week
    ["2026-11-30T00:00:00Z", "2026-W49"], // Monday starts the next
  ])("%s is %s", (iso, week) => {
    expect(isoWeek(new Date(iso))).toBe(week);
  });

  it("finds the Monday of the week", () => {
    expect(isoWeekStart(new Date("2026-11-26T15:00:00Z")).toISOString()).toBe("2026-11-23T00:00:00.000Z");
    expect(isoWeekStart(new Date("2026-11-29T23:00:00Z")).toISOString()).toBe("2026-11-23T00:00:00.000Z");
  });
});
