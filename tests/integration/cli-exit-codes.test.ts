import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/client";
import { useOwnDatabase } from "../support/own-database";

/**
 * The README: `export --worst-prompts` and `training validate` exit 2 on a file that fails the
 * format check, so a script can stop there. A real child process, as a crontab runs it. Its own
 * database: the worst prompts of an empty one are none, whatever the other files store.
 */
useOwnDatabase("cli_exit");

const run = promisify(execFile);
const dir = mkdtempSync(path.join(tmpdir(), "cli-exit-"));
const databaseUrl = () => (getPool() as unknown as { options: { connectionString: string } }).options.connectionString;

async function cli(args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/cli.ts", ...args], { env: { ...process.env, DATABASE_URL: databaseUrl() } });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, stdout: failed.stdout };
  }
}

const line = (user: string, assistant: string) => JSON.stringify({ messages: [{ role: "user", content: user }, { role: "assistant", content: assistant }] });

describe("the CLI's exit codes follow the validation", () => {
  it("training validate: 2 for a file that fails, 0 for one that passes", async () => {
    const bad = path.join(dir, "bad.jsonl");
    writeFileSync(bad, `${line("Where is my refund?", "Issued today.")}\n{"messages": [}\n`);
    const refused = await cli(["training", "validate", bad]);
    expect(refused.stdout).toContain("NOT OK");
    expect(refused.code).toBe(2);

    const good = path.join(dir, "good.jsonl");
    writeFileSync(good, Array.from({ length: 12 }, (_, i) => line(`Question number ${"abcdefghijkl"[i]} about my refund?`, `Answer ${"abcdefghijkl"[i]}: issued today.`)).join("\n") + "\n");
    const passed = await cli(["training", "validate", good]);
    expect(passed.stdout).toContain("OK for fine-tuning");
    expect(passed.code).toBe(0);
  }, 60_000);

  it("export --worst-prompts: 2 when the file fails (no worst prompts: fewer than 10 examples), and the export is audited", async () => {
    const out = path.join(dir, "weekly.jsonl");
    const result = await cli(["export", "--worst-prompts", "--out", out]);
    expect(result.stdout).toContain("NOT OK");
    expect(result.code).toBe(2);
    expect(readFileSync(out, "utf8")).toBe("");
    const { rows } = await getPool().query("SELECT a.actor_type, d.source FROM audit_log a JOIN datasets d ON d.id::text = a.target WHERE a.action = 'training.export'");
    expect(rows).toEqual([{ actor_type: "cli", source: "worst-prompts" }]);
  }, 60_000);
});
