import "server-only";
import { sql } from "drizzle-orm";
import { LOCAL_MODEL } from "@/lib/ai/model-version";
import { registerModelVersion } from "@/lib/ai/register-model-version";
import { seedDemoAnalyses } from "@/lib/ai/seed-demo-analyses";
import { ensureModelRegistry } from "@/lib/ai/sync-model-registry";
import { getDb } from "@/lib/db/client";
import { feedbackReplayLog, trainingLog, users } from "@/lib/db/schema";
import { DEMO_TOPICS, DEMO_USERS } from "@/lib/demo/demo-topics";
import { isUsableCompletion } from "@/lib/feedback/completion-quality";
import { hashPrompt } from "@/lib/feedback/normalize-prompt";

/** A small deterministic PRNG, so that every demo database looks the same. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Demo users exist whenever the demo sign-in does: without them nobody could sign in. */
export async function ensureDemoUsers(): Promise<void> {
  await getDb()
    .insert(users)
    .values(DEMO_USERS)
    .onConflictDoUpdate({ target: users.email, set: { name: sql`excluded.name`, role: sql`excluded.role` } });
}

/**
 * Seeds realistic support traffic: `submitted` replays over the last 8 weeks with mixed feedback
 * and training examples, plus `pending` replays waiting in the agents' queue.
 */
export async function seedDemo({ submitted = 1000, pending = 40 }: { submitted?: number; pending?: number } = {}) {
  await ensureDemoUsers();
  const db = getDb();
  // Ordered, so that each agent keeps the same wording of every answer from one seed to the next.
  const agents = await db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(sql`${users.role} = 'agent'`)
    .orderBy(users.email);
  const next = random(20261126);
  const pick = <T,>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const now = Date.now();
  const day = 86_400_000;
  // Demo suggestions are labelled with the local model's registered version (AI engine).
  await ensureModelRegistry();
  const localModel = await registerModelVersion(LOCAL_MODEL);

  const replays: (typeof feedbackReplayLog.$inferInsert)[] = [];
  for (let i = 0; i < submitted + pending; i++) {
    const topic = DEMO_TOPICS[i % DEMO_TOPICS.length]!;
    const order = String(10_000 + Math.floor(next() * 89_999));
    const message = pick(topic.messages).replaceAll("{n}", order);
    const aiReply = topic.aiReply.replaceAll("{n}", order);
    const base = {
      message,
      aiReply,
      topic: topic.topic,
      ticketId: `ZD-${40_000 + i}`,
      model: localModel.label,
      modelVersionId: localModel.id,
      source: "seed",
      promptHash: hashPrompt(message),
    };
    if (i >= submitted) {
      replays.push({ ...base, createdAt: new Date(now - next() * 2 * day) });
      continue;
    }
    const createdAt = new Date(now - (8 * 7 * day * (submitted - i)) / submitted - next() * day);
    const useful = next() < topic.usefulRate;
    const agentIndex = Math.floor(next() * agents.length);
    const agent = agents[agentIndex]!;
    // Each agent words the good answer in their own way. A few "not useful" come without a better
    // reply: kept, flagged, never exported. One agent answers some questions quite differently:
    // conflicts for the training review.
    const better =
      topic.alternativeReply && agentIndex === 1 && next() < 0.6 ? topic.alternativeReply : topic.agentReplies[agentIndex % 3]!;
    const agentReply = useful ? aiReply : next() < 0.04 ? "N/A" : better.replaceAll("{n}", order);
    replays.push({
      ...base,
      agentReply,
      feedback: useful ? "yes" : "no",
      status: "submitted",
      agentId: agent.id,
      agentEmail: agent.email,
      createdAt,
      submittedAt: new Date(createdAt.getTime() + (5 + next() * 60) * 60_000),
    });
  }

  const misses = await db.transaction(async (tx) => {
    const inserted = await tx
      .insert(feedbackReplayLog)
      .values(replays)
      .returning({ id: feedbackReplayLog.id, message: feedbackReplayLog.message, feedback: feedbackReplayLog.feedback, agentReply: feedbackReplayLog.agentReply, createdAt: feedbackReplayLog.submittedAt });
    const examples = inserted
      .filter((r) => r.feedback === "no")
      .map((r) => {
        const usable = isUsableCompletion(r.agentReply);
        return {
          prompt: r.message,
          completion: usable ? r.agentReply! : "",
          status: usable ? ("ready" as const) : ("needs_completion" as const),
          replayId: r.id,
          createdAt: r.createdAt,
        };
      });
    if (examples.length) await tx.insert(trainingLog).values(examples);
    return inserted.filter((r) => r.feedback === "no").map((r) => r.id);
  });
  await seedDemoAnalyses(misses);
  return { replays: replays.length, pending };
}

/** First start on an empty database: seed unless SEED_DEMO=0. */
export async function seedDemoIfEmpty(enabled: boolean): Promise<boolean> {
  const [row] = await getDb().select({ n: sql<number>`count(*)::int` }).from(feedbackReplayLog);
  if (!enabled || (row?.n ?? 0) > 0) return false;
  await seedDemo();
  return true;
}
