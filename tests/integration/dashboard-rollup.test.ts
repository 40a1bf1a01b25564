import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getSummary } from "@/lib/analytics/get-summary";
import { getTrainingFunnel } from "@/lib/analytics/get-training-funnel";
import { isoDay } from "@/lib/analytics/schemas";
import { seedBench } from "@/lib/analytics/seed-bench";
import { getPool } from "@/lib/db/client";
import { storeFeedbackReplay } from "@/lib/feedback/storage";
import { submitReplay } from "@/lib/feedback/submit-replay";
import { filtersFor, insertReplays, uniqueTopic } from "../support/analytics-fixtures";
import { createPendingReplay, createUser } from "../support/factories";

const today = () => isoDay(new Date());
/** Not useful, examples, examples with a usable completion (examples less the "no usable completion" drop). */
const funnel = async (topic: string) => {
  const f = await getTrainingFunnel(filtersFor({ topic, from: today(), to: today() }));
  const examples = f.stages[1]!.count;
  return [f.stages[0]!.count, examples, examples - f.dropped.find((d) => d.key === "unusable")!.count];
};
const summary = async (topic: string) => (await getSummary(filtersFor({ topic, from: today(), to: today() }))).current;

/** The rollup rows of one topic, without all-zero rows (left by deletes; a rebuild drops them). */
async function rollupRows(topic: string) {
  const { rows } = await getPool().query(
    `SELECT day::text, model, agent_id, replays::int, pending::int, submitted::int, useful::int, not_useful::int,
            edit_measured::int, edit_unchanged::int, edit_up_to_10::int, edit_up_to_25::int, edit_up_to_50::int,
            edit_up_to_75::int, edit_over_75::int, round(edit_ratio_sum::numeric, 6)::float8 AS edit_ratio_sum,
            examples::int, examples_ready::int
     FROM analytics_daily WHERE topic = $1 AND (replays <> 0 OR examples <> 0)
     ORDER BY day, model, agent_id`,
    [topic],
  );
  return rows;
}

describe("edit measure (set by a trigger on write)", () => {
  async function measure(aiReply: string, agentReply: string | null) {
    const [id] = await insertReplays([{ at: new Date().toISOString(), topic: uniqueTopic(), feedback: "no", aiReply, agentReply, example: null }]);
    const { rows } = await getPool().query("SELECT edit_distance, edit_ratio FROM feedback_replay_log WHERE id = $1", [id]);
    return rows[0];
  }

  it("counts word edits over the longer reply's word count", async () => {
    expect(await measure("It is on its way.", "It is on the way.")).toEqual({ edit_distance: 1, edit_ratio: 0.2 });
    expect(await measure("Refunds take time.", "Refunds take time. Sorry!")).toEqual({ edit_distance: 1, edit_ratio: 0.25 });
    expect(await measure("a b c d", "w x y z")).toEqual({ edit_distance: 4, edit_ratio: 1 });
  });

  it("treats whitespace-only differences as unchanged, and no reply as unmeasured", async () => {
    expect(await measure("It is  on its\nway.", " It is on its way. ")).toEqual({ edit_distance: 0, edit_ratio: 0 });
    expect(await measure("It is on its way.", null)).toEqual({ edit_distance: null, edit_ratio: null });
  });

  it("measures replies far longer than levenshtein's 255-character limit", async () => {
    const long = Array.from({ length: 400 }, (_, i) => `word${i}`).join(" ");
    const result = await measure(long, long.replace("word3 ", "changed "));
    expect(result.edit_distance).toBe(1);
    expect(result.edit_ratio).toBeCloseTo(1 / 255, 5);
  });
});

describe("analytics_daily kept by triggers", () => {
  it("follows a replay from the queue through the agent's submit and the example's completion", async () => {
    const topic = uniqueTopic();
    const agent = await createUser("agent");
    const pending = await createPendingReplay({ topic, model: "m1", aiReply: "Refunds take time." });
    expect(await summary(topic)).toMatchObject({ replays: 1, pending: 1, submitted: 0 });

    await submitReplay({
      input: { replayId: pending.id, submissionId: randomUUID(), agentReply: "N/A", feedback: "no" },
      agent: { id: agent.id, email: agent.email },
    });
    expect(await summary(topic)).toMatchObject({ replays: 1, pending: 0, submitted: 1, useful: 0, unchangedShare: 0 });
    expect(await funnel(topic)).toEqual([1, 1, 0]);
    const [row] = await rollupRows(topic);
    expect(row).toMatchObject({ agent_id: agent.id, edit_measured: 1, edit_over_75: 1, examples: 1, examples_ready: 0 });

    // A reviewer supplies the completion later.
    await getPool().query("UPDATE training_log SET status = 'ready', completion = 'Refunded today.' WHERE replay_id = $1", [pending.id]);
    expect(await funnel(topic)).toEqual([1, 1, 1]);
  });

  it("removes a deleted replay; its example stays counted, without topic", async () => {
    const topic = uniqueTopic();
    const stored = await storeFeedbackReplay({ message: `Broken mug ${randomUUID()}`, aiReply: "Return it.", agentReply: "Replacement shipped.", feedback: "no", topic });
    expect(await funnel(topic)).toEqual([1, 1, 1]);
    await getPool().query("DELETE FROM feedback_replay_log WHERE id = $1", [stored.id]);
    expect(await funnel(topic)).toEqual([0, 0, 0]);
    expect(await rollupRows(topic)).toEqual([]);
    const { rows } = await getPool().query("SELECT replay_id FROM training_log WHERE id = $1", [stored.trainingExampleId]);
    expect(rows).toEqual([{ replay_id: null }]);
  });

  it("stays exact under concurrent writes to the same rollup row", async () => {
    const topic = uniqueTopic();
    const agent = await createUser("agent");
    const pendings = await Promise.all(Array.from({ length: 10 }, () => createPendingReplay({ topic, model: "m1" })));
    await Promise.all([
      ...Array.from({ length: 30 }, (_, i) =>
        storeFeedbackReplay({ message: `Where is ${randomUUID()}`, aiReply: "Soon.", agentReply: i % 3 ? "Soon." : "Tomorrow, tracked.", feedback: i % 3 ? "yes" : "no", topic, model: "m1", agentEmail: agent.email }),
      ),
      ...pendings.map((p, i) =>
        submitReplay({ input: { replayId: p.id, submissionId: randomUUID(), agentReply: "Shipped today.", feedback: i % 2 ? "yes" : "no" }, agent: { id: agent.id, email: agent.email } }),
      ),
    ]);
    expect(await summary(topic)).toMatchObject({ replays: 40, pending: 0, submitted: 40, useful: 20 + 5 });
    expect(await funnel(topic)).toEqual([15, 15, 15]);
  });

  it("matches a full rebuild from the base tables", async () => {
    const topic = uniqueTopic();
    const agent = await createUser("agent");
    const ids = await insertReplays([
      { at: "2003-05-01T10:00:00Z", topic, agentId: agent.id, feedback: "yes" },
      { at: "2003-05-01T11:00:00Z", topic, agentId: agent.id, feedback: "no", agentReply: "It is on the way." },
      { at: "2003-05-02T11:00:00Z", topic, model: "model-b", agentId: agent.id, feedback: "no", agentReply: "-", example: "needs_completion" },
      { at: "2003-05-03T11:00:00Z", topic },
    ]);
    await getPool().query("UPDATE feedback_replay_log SET topic = $2, model = 'model-c' WHERE id = $1", [ids[0], topic]);
    await getPool().query("UPDATE feedback_replay_log SET agent_reply = 'It is on its way.' WHERE id = $1", [ids[1]]);
    await getPool().query("DELETE FROM feedback_replay_log WHERE id = $1", [ids[3]]);
    const incremental = await rollupRows(topic);
    await getPool().query("SELECT analytics_rebuild()");
    expect(await rollupRows(topic)).toEqual(incremental);
    expect(incremental.map((r) => [r.day, r.model, r.replays])).toEqual([
      ["2003-05-01", "model-a", 1],
      ["2003-05-01", "model-c", 1],
      ["2003-05-02", "model-b", 1],
    ]);
  });
});

describe("seedBench", () => {
  it("adds the requested replays with an example for every 'no', and the rollup follows", async () => {
    const count = async () =>
      (
        await getPool().query(
          `SELECT (SELECT count(*) FROM feedback_replay_log WHERE source = 'bench')::int AS replays,
                  (SELECT count(*) FROM feedback_replay_log WHERE source = 'bench' AND feedback = 'no')::int AS no,
                  (SELECT count(*) FROM training_log t JOIN feedback_replay_log r ON r.id = t.replay_id WHERE r.source = 'bench')::int AS examples,
                  (SELECT coalesce(sum(replays), 0)::int FROM analytics_daily) AS rollup`,
        )
      ).rows[0];
    const before = await count();
    await seedBench({ replays: 250, weeks: 1 });
    const after = await count();
    expect(after.replays - before.replays).toBe(250);
    expect(after.examples - before.examples).toBe(after.no - before.no);
    expect(after.no - before.no).toBeGreaterThan(0);
    expect(after.rollup - before.rollup).toBeGreaterThanOrEqual(250); // other tests may write meanwhile
  });
});
