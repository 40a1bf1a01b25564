import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, inject, it } from "vitest";
import { verifyApiKey } from "@/lib/api-keys/verify-api-key";

const run = promisify(execFile);

function cli(args: string[]) {
  return run(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/cli.ts", ...args], {
    env: { ...process.env, DATABASE_URL: inject("databaseUrl") },
  });
}

describe("npm run cli -- api-key", () => {
  it("create prints the new key as its last line; the key works; revoke stops it", async () => {
    const { stdout } = await cli(["api-key", "create", "--name", "helpdesk", "--scopes", "feedback:write,suggest"]);
    const key = stdout.trim().split("\n").at(-1)!;
    expect(key).toMatch(/^frk_[0-9a-f]{12}_/);
    const check = await verifyApiKey(`Bearer ${key}`, "suggest");
    expect(check.ok).toBe(true);
    const prefix = key.split("_").slice(0, 2).join("_");
    await cli(["api-key", "revoke", prefix]);
    expect((await verifyApiKey(`Bearer ${key}`, "suggest")).ok).toBe(false);
  });

  it("explains a bad scope and exits non-zero", async () => {
    const attempt = cli(["api-key", "create", "--name", "x", "--scopes", "everything"]);
    await expect(attempt).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining("feedback:write, suggest, training:export, admin") });
  });
});
