import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { desc, eq } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";
import { listAuditLog } from "@/lib/audit/list-audit-log";
import { recordAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db/client";
import { auditLog } from "@/lib/db/schema";

const run = promisify(execFile);

function cli(args: string[]) {
  return run(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/cli.ts", ...args], {
    env: { ...process.env, DATABASE_URL: inject("databaseUrl") },
  });
}

describe("recordAudit", () => {
  it("stores who, what, target, details and address; the time is the database's", async () => {
    const target = `job-${randomUUID()}`;
    await recordAudit({ actor: { type: "cron" }, action: "retrain.run", target, details: { examples: 12 }, ip: "127.0.0.1" });
    const [row] = await getDb().select().from(auditLog).where(eq(auditLog.target, target));
    expect(row).toMatchObject({ actorType: "cron", actorId: null, action: "retrain.run", details: { examples: 12 }, ip: "127.0.0.1" });
    expect(row!.createdAt).toBeInstanceOf(Date);
  });

  it("refuses an action that is not a dotted verb", async () => {
    await expect(recordAudit({ actor: { type: "cli" }, action: "Deleted everything" })).rejects.toThrow(/domain\.verb/);
  });

  it("is written in the caller's transaction: rolled back with it", async () => {
    const target = `tx-${randomUUID()}`;
    await expect(
      getDb().transaction(async (tx) => {
        await recordAudit({ actor: { type: "cli" }, action: "test.rollback", target }, tx);
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await getDb().select().from(auditLog).where(eq(auditLog.target, target))).toHaveLength(0);
  });
});

describe("listAuditLog", () => {
  it("pages newest first through entries that share a timestamp, and filters by action and actor", async () => {
    const actor = `${randomUUID()}@acme.test`;
    // 105 entries in one transaction: all with the same created_at.
    await getDb().transaction(async (tx) => {
      for (let i = 0; i < 105; i++) await recordAudit({ actor: { type: "user", id: randomUUID(), email: actor }, action: "test.page", target: String(i) }, tx);
    });
    const first = await listAuditLog({ actor });
    expect(first.entries).toHaveLength(100);
    expect(first.nextCursor).not.toBeNull();
    const second = await listAuditLog({ actor, before: first.nextCursor! });
    expect(second.entries).toHaveLength(5);
    expect(second.nextCursor).toBeNull();
    const seen = new Set([...first.entries, ...second.entries].map((e) => e.target));
    expect(seen.size).toBe(105);
    expect((await listAuditLog({ actor, action: "test.pa" })).entries.length).toBe(100);
    expect((await listAuditLog({ actor, action: "auth." })).entries).toHaveLength(0);
  });
});

describe("API key creation and revocation from the CLI are audited", () => {
  it("records api_key.create and api_key.revoke with the cli as actor, never the key", async () => {
    const name = `audit-${randomUUID()}`;
    const { stdout } = await cli(["api-key", "create", "--name", name, "--scopes", "suggest"]);
    const key = stdout.trim().split("\n").at(-1)!;
    const prefix = key.split("_").slice(0, 2).join("_");
    await cli(["api-key", "revoke", prefix]);
    const rows = await getDb().select().from(auditLog).where(eq(auditLog.target, prefix)).orderBy(desc(auditLog.createdAt));
    expect(rows.map((r) => [r.actorType, r.action])).toEqual([
      ["cli", "api_key.revoke"],
      ["cli", "api_key.create"],
    ]);
    expect(rows[1]!.details).toMatchObject({ name, scopes: ["suggest"] });
    expect(JSON.stringify(rows)).not.toContain(key);
  });
});
