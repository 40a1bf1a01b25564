import { describe, expect, it } from "vitest";
import { seedDemo } from "@/lib/demo/seed-demo";
import { exportJsonl } from "@/lib/training/export-jsonl";
import { validatePreferenceJsonl } from "@/lib/training/validate-preference-jsonl";
import { useOwnDatabase } from "../support/own-database";

// The demo seed in a database of its own: the other files' worst prompts stay theirs.
useOwnDatabase("dpodemo");

describe("a DPO file from the demo data", () => {
  it("passes the preference validator", async () => {
    await seedDemo({ pending: 0 }); // the real loop, eleven weeks; its last month is the worst prompts' window
    const { dataset, chunks } = await exportJsonl({ source: "worst-prompts", format: "dpo", createdVia: "test" });
    let text = "";
    for await (const chunk of chunks) text += chunk.toString("utf8");
    const report = await validatePreferenceJsonl(text);
    expect(report.lines).toBeGreaterThanOrEqual(10);
    expect(report).toMatchObject({ ok: true, problems: {} });
    expect(dataset.format).toBe("dpo");
  });
});
