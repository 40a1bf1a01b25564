import { describe, expect, it } from "vitest";
import { toCsv } from "@/lib/analytics/panel-tables";
import { dashboardFiltersSchema, parseDashboardFilters } from "@/lib/analytics/schemas";
import { UserError } from "@/lib/errors";

describe("toCsv", () => {
  it("quotes commas, quotes and newlines, and leaves nulls empty", () => {
    expect(toCsv({ columns: ["a", "b"], rows: [["x, y", 'say "hi"'], [null, 3], ["line\nbreak", 0.5]] })).toBe(
      'a,b\r\n"x, y","say ""hi"""\r\n,3\r\n"line\nbreak",0.5\r\n',
    );
  });

  it("defuses customer text that a spreadsheet would run as a formula", () => {
    expect(toCsv({ columns: ["m"], rows: [["=HYPERLINK(\"http://x\")"], ["+1"], ["@cmd"], ["-2"]] })).toBe(
      'm\r\n"\'=HYPERLINK(""http://x"")"\r\n\'+1\r\n\'@cmd\r\n\'-2\r\n',
    );
    // numbers are numbers, not text: a negative count stays a number
    expect(toCsv({ columns: ["n"], rows: [[-2]] })).toBe("n\r\n-2\r\n");
  });
});

describe("dashboard filters", () => {
  it("default to the last 12 weeks, by week", () => {
    const f = dashboardFiltersSchema.parse({});
    expect(f.granularity).toBe("week");
    expect((Date.parse(f.to) - Date.parse(f.from)) / 86_400_000).toBe(83);
  });

  it("treat empty selects as no filter", () => {
    expect(dashboardFiltersSchema.parse({ from: "2026-01-01", to: "2026-01-31", agent: "", topic: "", model: "" })).toEqual({
      from: "2026-01-01", to: "2026-01-31", granularity: "week", agent: undefined, topic: undefined, model: undefined,
    });
  });

  it("explain what to fix", () => {
    expect(() => parseDashboardFilters({ from: "2026-02-30" })).toThrow(/not a real date/);
    expect(() => parseDashboardFilters({ from: "2026-03-01", to: "2026-02-01" })).toThrow(/on or before/);
    expect(() => parseDashboardFilters({ agent: "ava" })).toThrow(UserError);
    expect(() => parseDashboardFilters({ granularity: "hour" })).toThrow(UserError);
  });
});
