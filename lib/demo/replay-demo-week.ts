import "server-only";
import { randomUUID } from "node:crypto";
import { createSuggestion } from "@/lib/ai/create-suggestion";
import { getActiveModelVersion } from "@/lib/ai/get-active-model-version";
import type { AiConfig } from "@/lib/ai/read-ai-config";
import { seedDemoAnalyses } from "@/lib/ai/seed-demo-analyses";
import { backdateReplays } from "@/lib/demo/backdate-demo-rows";
import { DEMO_TOPICS } from "@/lib/demo/demo-topics";
import { agentIntent, decideFeedback } from "@/lib/demo/simulate-agent";
import { submitReplay } from "@/lib/feedback/submit-replay";

export type DemoAgent = { id: string; email: string };
export type WeekResult = { model: string; replays: number; useful: number };

const DAY = 86_400_000;

/**
 * One week of demo traffic through the product's own paths: each customer message gets a
 * suggestion from the active model version (createSuggestion, as POST /api/suggestions), a
 * simulated agent compares it with what they meant to send and submits (submitReplay, as the
 * replay view), and each "not useful" is analysed by the self-critique (runFailureAnalysis).
 * One after another, so a correction submitted on Tuesday already helps on Wednesday (the
 * same-day retrieval). Then the rows move to the simulated week (`start`, office hours).
 */
export async function replayDemoWeek({
  start,
  count,
  agents,
  config,
  next,
  ticketBase,
}: {
  start: Date;
  count: number;
  agents: DemoAgent[];
  config: AiConfig;
  next: () => number;
  ticketBase: number;
}): Promise<WeekResult> {
  const model = await getActiveModelVersion(config);
  const times: { id: string; createdAt: Date; submittedAt: Date | null }[] = [];
  const misses: string[] = [];
  let useful = 0;
  // Every topic as often, in a shuffled order, so no topic waits for the end of the week.
  const topics = Array.from({ length: count }, (_, i) => DEMO_TOPICS[i % DEMO_TOPICS.length]!);
  for (let i = topics.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [topics[i], topics[j]] = [topics[j]!, topics[i]!];
  }
  for (const [i, topic] of topics.entries()) {
    const order = String(10_000 + Math.floor(next() * 89_999));
    const message = topic.messages[Math.floor(next() * topic.messages.length)]!.replaceAll("{n}", order);
    const agentIndex = Math.floor(next() * agents.length);
    const intent = agentIntent({ topic, agentIndex, order, next });
    const created = await createSuggestion({ input: { message, topic: topic.topic, ticketId: `ZD-${ticketBase + i}` }, model });
    const verdict = decideFeedback({ suggestion: created.aiReply, intent });
    await submitReplay({
      input: { replayId: created.replayId, submissionId: randomUUID(), agentReply: verdict.agentReply, feedback: verdict.feedback },
      agent: agents[agentIndex]!,
    });
    if (verdict.feedback === "yes") useful++;
    else misses.push(created.replayId);
    // Spread over the seven days, 08:00–18:00 UTC, in order.
    const day = Math.floor((7 * i) / count);
    const createdAt = new Date(start.getTime() + day * DAY + (8 + (10 * ((7 * i) % count)) / count) * 3_600_000 + Math.floor(next() * 600_000));
    times.push({ id: created.replayId, createdAt, submittedAt: new Date(createdAt.getTime() + (5 + next() * 60) * 60_000) });
  }
  await seedDemoAnalyses(misses);
  await backdateReplays(times);
  return { model: model.version.label, replays: count, useful };
}

/** Replays waiting in the agents' queue: suggested by the active version, not yet answered. */
export async function queueDemoReplays({ count, config, next, ticketBase, now }: { count: number; config: AiConfig; next: () => number; ticketBase: number; now: number }): Promise<void> {
  const model = await getActiveModelVersion(config);
  const times: { id: string; createdAt: Date; submittedAt: null }[] = [];
  for (let i = 0; i < count; i++) {
    const topic = DEMO_TOPICS[i % DEMO_TOPICS.length]!;
    const order = String(10_000 + Math.floor(next() * 89_999));
    const message = topic.messages[Math.floor(next() * topic.messages.length)]!.replaceAll("{n}", order);
    const created = await createSuggestion({ input: { message, topic: topic.topic, ticketId: `ZD-${ticketBase + i}` }, model });
    times.push({ id: created.replayId, createdAt: new Date(now - next() * 2 * DAY), submittedAt: null });
  }
  await backdateReplays(times);
}
