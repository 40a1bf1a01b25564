import "server-only";
import { sql } from "drizzle-orm";
import { readAiConfig } from "@/lib/ai/read-ai-config";
import type { AuditActor } from "@/lib/audit/schemas";
import { getDb } from "@/lib/db/client";
import { feedbackReplayLog, users } from "@/lib/db/schema";
import { DEMO_USERS } from "@/lib/demo/demo-topics";
import { queueDemoReplays, replayDemoWeek, type WeekResult } from "@/lib/demo/replay-demo-week";
import { runDemoRetrain, type DemoRetrain } from "@/lib/demo/run-demo-retrain";
import { createRandom } from "@/lib/demo/simulate-agent";
import { DEFAULT_RANGE_DAYS, isoDay } from "@/lib/analytics/schemas";
import { isoWeekStart } from "@/lib/retrain/iso-week";
import { readRetrainConfig } from "@/lib/retrain/read-retrain-config";
import { decideEvaluation } from "@/lib/retrain/run-retrain";
import { backdateActivations, backdateDecision } from "@/lib/demo/backdate-demo-rows";

/** Demo users exist whenever the demo sign-in does: without them nobody could sign in. */
export async function ensureDemoUsers(): Promise<void> {
  await getDb()
    .insert(users)
    .values(DEMO_USERS)
    .onConflictDoUpdate({ target: users.email, set: { name: sql`excluded.name`, role: sql`excluded.role` } });
}

const DAY = 86_400_000;
const WEEK = 7 * DAY;
/** The Monday retrain runs at 06:00 UTC, before the week's traffic (08:00–18:00). */
const RETRAIN_HOUR = 6 * 3_600_000;

export type DemoSeedResult = {
  replays: number;
  pending: number;
  weeks: (WeekResult & { retrain: DemoRetrain | null; rolledBack: boolean; trafficMs: number; retrainMs: number })[];
};

/**
 * The demo is the real loop, replayed over the last `weeks` whole ISO weeks (by default the 11 the
 * dashboard's default view shows in full): every week's traffic goes through suggestion → agent's
 * verdict → self-critique (replayDemoWeek); after every week but the last (whose Monday is this
 * week's), the weekly retrain trains a local candidate and evaluates it against the active version
 * (runDemoRetrain); the demo manager promotes a winner and discards the rest, and rolls the second
 * promotion back a week later (the one scripted decision, to show the rollback). Nothing is painted:
 * every verdict and score comes from what the models answered. Always the local model, never a
 * paid provider. Then `pending` replays wait in the queue.
 */
export async function seedDemo({ weeks, perWeek = 80, pending = 40, now = Date.now() }: { weeks?: number; perWeek?: number; pending?: number; now?: number } = {}): Promise<DemoSeedResult> {
  await ensureDemoUsers();
  const db = getDb();
  // Ordered, so that each agent keeps the same wording of every answer from one seed to the next.
  const agents = await db.select({ id: users.id, email: users.email }).from(users).where(sql`${users.role} = 'agent'`).orderBy(users.email);
  const [manager] = await db.select({ id: users.id, email: users.email }).from(users).where(sql`${users.email} = 'maya.manager@example.com'`);
  const managerActor: AuditActor = { type: "user", id: manager!.id, email: manager!.email };
  const ai = { ...readAiConfig(), openai: null };
  const config = { ...readRetrainConfig(), mode: "upload" as const, target: "local" as const, autoPromote: false, evalExamples: 40, ai };
  const next = createRandom(20261126);
  // Whole ISO weeks up to last Sunday, as many as the dashboard's default view (the last 84 days)
  // shows in full: 11 or 12, so every demo week is on the chart when it opens.
  const thisMonday = isoWeekStart(new Date(now)).getTime();
  const viewStart = Date.parse(isoDay(new Date(now))) - (DEFAULT_RANGE_DAYS - 1) * DAY;
  weeks ??= Math.floor((thisMonday - viewStart) / WEEK);
  const firstWeek = thisMonday - weeks * WEEK;

  const result: DemoSeedResult["weeks"] = [];
  const seedStart = new Date();
  let promotions = 0;
  let rollbackDue: DemoRetrain | null = null;
  for (let w = 0; w < weeks; w++) {
    const start = new Date(firstWeek + w * WEEK);
    let started = performance.now();
    const week = await replayDemoWeek({ start, count: perWeek, agents, config: ai, next, ticketBase: 40_000 + w * perWeek });
    const trafficMs = performance.now() - started;
    if (w === 0) await backdateActivations({ since: seedStart, at: start });
    started = performance.now();
    // The manager's one scripted decision: a week after the second promotion, they roll it back
    // (the /retrain page's rollback: the version active before it writes the suggestions again).
    const rolledBack = Boolean(rollbackDue);
    if (rollbackDue) {
      await decideEvaluation({ evaluationId: rollbackDue.evaluationId!, decision: "rollback", actor: managerActor });
      await backdateDecision({ evaluationId: rollbackDue.evaluationId!, at: new Date(start.getTime() + WEEK + RETRAIN_HOUR - 3_600_000) });
      rollbackDue = null;
    }
    const retrain = w < weeks - 1 ? await runDemoRetrain({ at: new Date(start.getTime() + WEEK + RETRAIN_HOUR), config, manager: managerActor }) : null;
    if (retrain?.decision === "promoted" && ++promotions === 2) rollbackDue = retrain;
    result.push({ ...week, retrain, rolledBack, trafficMs, retrainMs: performance.now() - started });
  }
  await queueDemoReplays({ count: pending, config: ai, next, ticketBase: 40_000 + weeks * perWeek, now });
  return { replays: weeks * perWeek + pending, pending, weeks: result };
}

/** First start on an empty database: seed unless SEED_DEMO=0. */
export async function seedDemoIfEmpty(enabled: boolean): Promise<boolean> {
  const [row] = await getDb().select({ n: sql<number>`count(*)::int` }).from(feedbackReplayLog);
  if (!enabled || (row?.n ?? 0) > 0) return false;
  await seedDemo();
  return true;
}
