import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { findSimilarCorrections } from "@/lib/ai/find-similar-corrections";
import { closeDb, getPool, useDatabaseUrl } from "@/lib/db/client";
import { runMigrations } from "@/lib/db/migrate";
import { randomWords } from "../support/training-factories";

// A database of this file's own: 100,000 imported replays must not land in the other files'
// grouping (grouping is global), and the CLI runs in a child process against it.
const database = `import_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
let url = "";
const dir = mkdtempSync(path.join(os.tmpdir(), "history-"));

async function onShared(sql: string) {
  const client = new pg.Client({ connectionString: inject("databaseUrl") });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}

beforeAll(async () => {
  await onShared(`CREATE DATABASE ${database}`);
  const u = new URL(inject("databaseUrl"));
  u.pathname = `/${database}`;
  url = u.href;
  await runMigrations(url);
  await closeDb();
  useDatabaseUrl(url);
});

afterAll(async () => {
  await closeDb();
  await onShared(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  rmSync(dir, { recursive: true, force: true });
});

type Run = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

/** `npm run cli -- import …` in a child process; `until` may kill it (returns true) while it runs. */
function cli(args: string[], until?: () => Promise<boolean>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/cli.ts", ...args], {
      env: { ...process.env, DATABASE_URL: url },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    let watching = Boolean(until);
    child.on("exit", (code, signal) => {
      watching = false;
      resolve({ code, signal, stdout, stderr });
    });
    void (async () => {
      while (watching) {
        if (await until!()) {
          child.kill("SIGKILL");
          return;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
  });
}

async function writeLines(file: string, count: number, line: (i: number) => string) {
  const out = createWriteStream(file);
  for (let i = 1; i <= count; i++) if (!out.write(line(i) + "\n")) await new Promise<void>((r) => out.once("drain", () => r()));
  await new Promise<void>((r) => out.end(() => r()));
}

describe("npm run cli -- import", () => {
  it("imports 100,000 lines, survives being killed, resumes, and a second run stores nothing new", { timeout: 600_000 }, async () => {
    const prefix = randomWords(1);
    const file = path.join(dir, "history.jsonl");
    const words = randomWords(6);
    const other = randomWords(6);
    const bad = new Set([7, 50_001]);
    await writeLines(file, 100_000, (i) =>
      i === 7
        ? JSON.stringify({ ticketId: `${prefix}-${i}`, message: "", agentReply: "Hi." })
        : i === 50_001
          ? "{not json"
          : JSON.stringify({
              ticketId: `${prefix}-${i}`,
              message: `Where is my ${words} ${i}?`,
              aiReply: `Reply ${words}.`,
              agentReply: i % 1000 === 0 ? `Sorry ${other} ${i}.` : `Reply ${words}.`,
              ...(i % 3 === 0 ? { feedback: "yes" } : {}),
              createdAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
            }),
    );
    const stored = async () => Number((await getPool().query("SELECT count(*) FROM feedback_replay_log WHERE ticket_id LIKE $1", [`${prefix}-%`])).rows[0].count);
    const checkpoint = async () => Number((await getPool().query("SELECT coalesce(max(lines_done), 0) AS n FROM import_runs WHERE file_name = 'history.jsonl'")).rows[0].n);

    // Killed once some batches are in, well before the end.
    const killed = await cli(["import", file, "--no-group"], async () => (await checkpoint()) >= 10_000);
    expect(killed.signal).toBe("SIGKILL");
    const partial = await stored();
    expect(partial).toBeGreaterThanOrEqual(9_999);
    expect(partial).toBeLessThan(99_998);
    // What was stored is exactly what the checkpoint says: no line lost or written twice.
    const done = await checkpoint();
    expect(partial).toBe(done - [...bad].filter((n) => n <= done).length);

    const resumed = await cli(["import", file, "--no-group"]);
    expect(resumed.stderr).toMatch(/Resuming after line [\d,]+/);
    expect(resumed.stderr).toMatch(/\d[\d,]* lines\s+[\d,]+ lines\/s/);
    if (done < 50_001) expect(resumed.stderr).toContain("line 50001 is not valid JSON");
    expect(resumed.stdout).toContain("Imported 99,998 replays; 0 were already there; 2 bad lines.");
    expect(resumed.code).toBe(2);
    expect(await stored()).toBe(99_998);
    const { rows } = await getPool().query(
      `SELECT count(DISTINCT import_key)::int AS keys, count(*) FILTER (WHERE feedback = 'no')::int AS no,
              count(*) FILTER (WHERE feedback_inferred)::int AS inferred, count(*) FILTER (WHERE source = 'import')::int AS imported,
              (SELECT count(*)::int FROM training_log t JOIN feedback_replay_log r ON r.id = t.replay_id WHERE r.ticket_id LIKE $1) AS examples,
              count(*) FILTER (WHERE created_at = submitted_at AND created_at < '2026-02-01')::int AS dated
       FROM feedback_replay_log WHERE ticket_id LIKE $1`,
      [`${prefix}-%`],
    );
    // Lines 1000, 2000… rewrote the draft (inferred "no" unless labelled "yes": multiples of 3000).
    expect(rows[0]).toEqual({ keys: 99_998, no: 100 - 33, inferred: 99_998 - 33_332, imported: 99_998, examples: 67, dated: 99_998 });

    const again = await cli(["import", file, "--no-group"]);
    expect(again.stdout).toContain("Imported 0 replays; 99,998 were already there; 2 bad lines.");
    expect(again.stderr).toContain("line 7: message: message must not be empty");
    expect(again.stderr).toContain("line 50001 is not valid JSON");
    expect(await stored()).toBe(99_998);
    // Not grouped here (--no-group): out of the way of the next test's grouping.
    await getPool().query("DELETE FROM feedback_replay_log WHERE ticket_id LIKE $1", [`${prefix}-%`]);
  });

  it("imports the demo history from CSV and JSONL; grouping and the corrections then cover it", { timeout: 300_000 }, async () => {
    const csv = await cli(["import", "examples/demo-history.csv", "--no-group"]);
    expect(csv.stdout).toContain("Imported 40 replays; 0 were already there; 0 bad lines.");
    const jsonl = await cli(["import", "examples/demo-history.jsonl"]);
    // The CSV holds the JSONL's first 40 lines: the same tickets and messages, so not stored twice.
    expect(jsonl.stdout).toContain("Imported 280 replays; 40 were already there; 0 bad lines.");
    expect(jsonl.stdout).toMatch(/Grouped 320 replays/);
    const { rows } = await getPool().query(
      "SELECT count(*)::int AS n, count(prompt_group_id)::int AS grouped, count(DISTINCT prompt_group_id)::int AS groups FROM feedback_replay_log WHERE ticket_id LIKE 'ZD-%'",
    );
    expect(rows[0].n).toBe(320);
    expect(rows[0].grouped).toBe(320);
    expect(rows[0].groups).toBeLessThan(60);
    const corrections = await findSimilarCorrections({ message: "my refund still has not arrived", limit: 3, minSimilarity: 0.3 });
    expect(corrections.length).toBeGreaterThan(0);
    expect(corrections[0]!.reply).toMatch(/refund/i);
  });
});
