import { beforeAll, describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/client";
import { seedDemo, type DemoSeedResult } from "@/lib/demo/seed-demo";
import { USEFUL_F1 } from "@/lib/demo/simulate-agent";
import { isoWeek, isoWeekStart } from "@/lib/retrain/iso-week";
import { tokenSetF1 } from "@/lib/retrain/score-reply";
import { useOwnDatabase } from "../support/own-database";

/**
 * The demo seed is the real loop (issue 14, item 5): suggestions by the active version, the
 * simulated agents' verdicts, self-critiques, and a weekly local retrain with promotions, rejections
 * by the evaluation and one rollback. Its own database: it changes the active model version and
 * groups every pending replay.
 */
useOwnDatabase("demo_seed");

const PER_WEEK = 80;
const PENDING = 40;
let seeded: DemoSeedResult;
const now = Date.now();

beforeAll(async () => {
  seeded = await seedDemo({ perWeek: PER_WEEK, pending: PENDING, now }); // timed by bench/demo-seed.ts
}, 240_000);

const query = async <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) => (await getPool().query<T>(sql, params)).rows;

describe("seed-demo replays the loop", () => {
  it("writes whole past ISO weeks of submitted replays, then a queue of pending ones, every one by a registered version", async () => {
    const weeks = seeded.weeks.length;
    expect(weeks).toBeGreaterThanOrEqual(11);
    const [counts] = await query<{ submitted: number; pending: number; unlabelled: number; oldest: Date; newest: Date }>(
      `SELECT count(*) FILTER (WHERE status = 'submitted')::int AS submitted, count(*) FILTER (WHERE status = 'pending')::int AS pending,
              count(*) FILTER (WHERE model_version_id IS NULL OR source <> 'suggest')::int AS unlabelled,
              min(created_at) FILTER (WHERE status = 'submitted') AS oldest, max(created_at) FILTER (WHERE status = 'submitted') AS newest
       FROM feedback_replay_log`,
    );
    expect(counts).toMatchObject({ submitted: weeks * PER_WEEK, pending: PENDING, unlabelled: 0 });
    const thisMonday = isoWeekStart(new Date(now)).getTime();
    expect(counts!.oldest.getTime()).toBeGreaterThanOrEqual(thisMonday - weeks * 7 * 86_400_000);
    expect(counts!.newest.getTime()).toBeLessThan(thisMonday);
  });

  it("decides every verdict by comparing the suggestion with the agent's answer, never by a painted rate", async () => {
    const rows = await query<{ feedback: string; ai_reply: string; agent_reply: string }>(
      "SELECT feedback, ai_reply, agent_reply FROM feedback_replay_log WHERE status = 'submitted'",
    );
    for (const r of rows) {
      if (r.feedback === "yes") expect(r.agent_reply).toBe(r.ai_reply);
      else if (r.agent_reply !== "N/A") expect(tokenSetF1(r.ai_reply, r.agent_reply)).toBeLessThan(USEFUL_F1);
    }
    // Each week's useful count is what the agents decided that week.
    const byWeek = await query<{ week: number; useful: number }>(
      `SELECT floor(extract(epoch FROM created_at - $1::timestamptz) / 604800)::int AS week, count(*) FILTER (WHERE feedback = 'yes')::int AS useful
       FROM feedback_replay_log WHERE status = 'submitted' GROUP BY 1 ORDER BY 1`,
      [new Date(isoWeekStart(new Date(now)).getTime() - seeded.weeks.length * 7 * 86_400_000)],
    );
    expect(byWeek.map((w) => w.useful)).toEqual(seeded.weeks.map((w) => w.useful));
  });

  it("rises because the corrections are used (a finding if it ever stops: this test then fails)", () => {
    const rate = (i: number) => seeded.weeks[i]!.useful / seeded.weeks[i]!.replays;
    const last = seeded.weeks.length - 1;
    expect(rate(0)).toBeLessThan(0.4);
    expect(rate(last)).toBeGreaterThan(rate(0) + 0.3);
  });

  it("analyses every miss with the self-critique", async () => {
    const [row] = await query<{ misses: number; done: number }>(
      `SELECT count(*)::int AS misses, count(*) FILTER (WHERE fa.status = 'done' AND fa.category IS NOT NULL)::int AS done
       FROM feedback_replay_log r LEFT JOIN failure_analyses fa ON fa.replay_id = r.id WHERE r.feedback = 'no'`,
    );
    expect(row!.misses).toBeGreaterThan(0);
    expect(row!.done).toBe(row!.misses);
  });

  it("retrains weekly: promotions, rejections by the evaluation, one rollback; the versions each served their weeks", async () => {
    const runs = await query<{ iso_week: string; status: string; created_at: Date }>("SELECT iso_week, status, created_at FROM retrain_runs ORDER BY created_at");
    expect(runs).toHaveLength(seeded.weeks.length - 1);
    expect(runs.every((r) => r.created_at.getTime() < now)).toBe(true);
    expect(runs.map((r) => r.iso_week)).toEqual(runs.map((r) => isoWeek(r.created_at)));
    expect(runs.map((r) => r.iso_week)).not.toContain(isoWeek(new Date(now))); // "Run now" still works this week

    const evaluations = await query<{ winner: string; decision: string; candidate: string; baseline: string }>(
      `SELECT winner, decision, candidate_version_id AS candidate, baseline_version_id AS baseline FROM model_evaluations ORDER BY created_at`,
    );
    const decisions = evaluations.map((e) => e.decision);
    expect(decisions.filter((d) => d === "rolled_back")).toHaveLength(1);
    expect(decisions.filter((d) => d === "promoted").length).toBeGreaterThanOrEqual(1);
    const rejected = evaluations.filter((e) => e.decision === "discarded");
    expect(rejected.length).toBeGreaterThanOrEqual(1);
    expect(rejected.every((e) => e.winner !== "candidate")).toBe(true);
    expect(evaluations.filter((e) => e.decision !== "discarded").every((e) => e.winner === "candidate")).toBe(true);

    // One version per candidate, plus the retrieval-only one it started with.
    const [versions] = await query<{ n: number; late: number }>(
      "SELECT count(*)::int AS n, count(*) FILTER (WHERE promoted_at >= $1 OR created_at >= $1)::int AS late FROM model_versions",
      [isoWeekStart(new Date(now))],
    );
    expect(versions).toEqual({ n: evaluations.length + 1, late: 0 }); // every activation happened in its simulated week
    // The rollback restored the version active before: it is active now (nothing promoted since in this story) or was replaced by a later promotion.
    const rolledBack = evaluations.find((e) => e.decision === "rolled_back")!;
    const [active] = await query<{ id: string }>("SELECT id FROM model_versions WHERE is_active");
    const promotedAfter = evaluations.slice(evaluations.indexOf(rolledBack) + 1).filter((e) => e.decision === "promoted");
    expect(active!.id).toBe(promotedAfter.at(-1)?.candidate ?? rolledBack.baseline);

    // The versions that served: the first, each promotion, and the week after the rollback again its baseline.
    const served = await query<{ version: string; first: Date }>(
      "SELECT model_version_id AS version, min(created_at) AS first FROM feedback_replay_log GROUP BY 1 ORDER BY 2",
    );
    const promoted = evaluations.filter((e) => e.decision !== "discarded").map((e) => e.candidate);
    expect(served.map((s) => s.version).slice(1)).toEqual(promoted);

    const audit = await query<{ action: string; n: number }>("SELECT action, count(*)::int AS n FROM audit_log GROUP BY 1");
    const count = (action: string) => audit.find((a) => a.action === action)?.n ?? 0;
    expect(count("retrain.rollback")).toBe(1);
    expect(count("model.activate")).toBe(promoted.length + 1);
  });

});
