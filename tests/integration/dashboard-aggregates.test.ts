import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { findWorstPrompts } from "@/lib/analytics/find-worst-prompts";
import { getEditDistribution } from "@/lib/analytics/get-edit-distribution";
import { getSummary } from "@/lib/analytics/get-summary";
import { getTrainingFunnel } from "@/lib/analytics/get-training-funnel";
import { getUsefulnessOverTime } from "@/lib/analytics/get-usefulness-over-time";
import { getVolumeByAgent } from "@/lib/analytics/get-volume-by-agent";
import { getVolumeByTopic } from "@/lib/analytics/get-volume-by-topic";
import { getVolumeOverTime } from "@/lib/analytics/get-volume-over-time";
import { filtersFor, insertReplays, uniqueTopic } from "../support/analytics-fixtures";
import { createUser } from "../support/factories";

/*
 * One small fixed data set, hand-counted. Range 2001-03-05 (Mon) .. 2001-03-18 (Sun), two ISO weeks.
 * AI reply everywhere: "It is on its way." (5 words).
 *   #  when (UTC)            model agent feedback  agent reply             example
 *   1  03-05 09:00           A     1     yes       = AI reply              -
 *   2  03-05 23:59           A     1     no        "It is on the way."     ready        (1 of 5 words: 0.2)
 *   3  03-06 00:00           A     2     yes       = AI reply              -
 *   9  03-07 12:00           A     2     no        "Go to settings."       ready        (5 of 5: 1.0)
 *   4  03-12 10:00           B     2     yes       = AI reply              -
 *   5  03-13 10:00           B     1     no        "N/A"                   needs_completion (1.0)
 *   6  03-14 10:00           B     -     pending
 *   7  03-19 00:00           B     1     yes       (outside the range)
 *   8  03-04 23:59:59        A     2     no        "Sorry, refunded."      ready        (previous range)
 * #2 and #5 are the same prompt after normalisation (order numbers fold); #9 is another.
 */
const topic = uniqueTopic();
const modelA = `model-a ${randomUUID()}`;
const modelB = `model-b ${randomUUID()}`;
let agent1: { id: string; name: string };
let agent2: { id: string; name: string };
const range = { topic, from: "2001-03-05", to: "2001-03-18" };
const refund2 = "I never got my refund for order 111";
const refund5 = "i never got my REFUND for order #222!";

beforeAll(async () => {
  agent1 = await createUser("agent");
  agent2 = await createUser("agent");
  await insertReplays([
    { at: "2001-03-05T09:00:00Z", topic, model: modelA, agentId: agent1.id, feedback: "yes" },
    { at: "2001-03-05T23:59:00Z", topic, model: modelA, agentId: agent1.id, feedback: "no", agentReply: "It is on the way.", message: refund2 },
    { at: "2001-03-06T00:00:00Z", topic, model: modelA, agentId: agent2.id, feedback: "yes" },
    { at: "2001-03-07T12:00:00Z", topic, model: modelA, agentId: agent2.id, feedback: "no", agentReply: "Go to settings.", message: "How do I cancel?" },
    { at: "2001-03-12T10:00:00Z", topic, model: modelB, agentId: agent2.id, feedback: "yes" },
    { at: "2001-03-13T10:00:00Z", topic, model: modelB, agentId: agent1.id, feedback: "no", agentReply: "N/A", example: "needs_completion", message: refund5 },
    { at: "2001-03-14T10:00:00Z", topic, model: modelB },
    { at: "2001-03-19T00:00:00Z", topic, model: modelB, agentId: agent1.id, feedback: "yes" },
    { at: "2001-03-04T23:59:59Z", topic, model: modelA, agentId: agent2.id, feedback: "no", agentReply: "Sorry, refunded." },
  ]);
});

describe("getSummary", () => {
  it("counts the range and the equally long range before it", async () => {
    const summary = await getSummary(filtersFor(range));
    expect(summary.current).toEqual({ replays: 7, submitted: 6, pending: 1, useful: 3, usefulRate: 0.5, unchangedShare: 0.5 });
    expect(summary.previous).toEqual({ replays: 1, submitted: 1, pending: 0, useful: 0, usefulRate: 0, unchangedShare: 0 });
    expect([summary.previousFrom, summary.previousTo]).toEqual(["2001-02-19", "2001-03-04"]);
  });

  it("filters by model and agent", async () => {
    expect((await getSummary(filtersFor({ ...range, model: modelB }))).current).toMatchObject({ replays: 3, submitted: 2, pending: 1, useful: 1 });
    expect((await getSummary(filtersFor({ ...range, agent: agent1.id }))).current).toMatchObject({ replays: 3, submitted: 3, useful: 1 });
  });

  it("gives null rates, not zero, for an empty range", async () => {
    const summary = await getSummary(filtersFor({ topic, from: "1999-01-01", to: "1999-01-31" }));
    expect(summary.current).toEqual({ replays: 0, submitted: 0, pending: 0, useful: 0, usefulRate: null, unchangedShare: null });
  });
});

describe("getUsefulnessOverTime", () => {
  it("by week, overall and per model, marking the model that first appears inside the range", async () => {
    const result = await getUsefulnessOverTime(filtersFor({ ...range, granularity: "week" }));
    expect(result.periods).toEqual([
      { period: "2001-03-05", submitted: 4, useful: 2, rate: 0.5, byModel: { [modelA]: { submitted: 4, useful: 2, rate: 0.5 } } },
      { period: "2001-03-12", submitted: 2, useful: 1, rate: 0.5, byModel: { [modelB]: { submitted: 2, useful: 1, rate: 0.5 } } },
    ]);
    expect(result.models).toEqual([modelA, modelB]);
    // model A first served on 03-04, before the range: no marker for it.
    expect(result.versionChanges).toEqual([{ model: modelB, firstDay: "2001-03-12", period: "2001-03-12" }]);
  });

  it("by day: UTC days, days with only pending replays left out", async () => {
    const result = await getUsefulnessOverTime(filtersFor({ ...range, granularity: "day" }));
    expect(result.periods.map((p) => [p.period, p.submitted, p.useful])).toEqual([
      ["2001-03-05", 2, 1],
      ["2001-03-06", 1, 1],
      ["2001-03-07", 1, 0],
      ["2001-03-12", 1, 1],
      ["2001-03-13", 1, 0],
    ]);
  });

  it("a single day", async () => {
    const result = await getUsefulnessOverTime(filtersFor({ topic, from: "2001-03-05", to: "2001-03-05", granularity: "day" }));
    expect(result.periods).toEqual([{ period: "2001-03-05", submitted: 2, useful: 1, rate: 0.5, byModel: { [modelA]: { submitted: 2, useful: 1, rate: 0.5 } } }]);
    expect(result.versionChanges).toEqual([]);
  });

  it("an empty range", async () => {
    expect(await getUsefulnessOverTime(filtersFor({ topic, from: "2001-01-01", to: "2001-01-07" }))).toEqual({ periods: [], models: [], versionChanges: [], promotions: [] });
  });
});

describe("volume", () => {
  it("over time: replays, submitted and pending per week", async () => {
    expect(await getVolumeOverTime(filtersFor({ ...range, granularity: "week" }))).toEqual([
      { period: "2001-03-05", replays: 4, submitted: 4, pending: 0 },
      { period: "2001-03-12", replays: 3, submitted: 2, pending: 1 },
    ]);
    expect(await getVolumeOverTime(filtersFor({ topic, from: "2001-03-14", to: "2001-03-14", granularity: "day" }))).toEqual([
      { period: "2001-03-14", replays: 1, submitted: 0, pending: 1 },
    ]);
  });

  it("per agent", async () => {
    const rows = await getVolumeByAgent(filtersFor(range));
    expect(rows).toHaveLength(2);
    expect(rows).toEqual(
      expect.arrayContaining([
        { agentId: agent1.id, name: agent1.name, submitted: 3, useful: 1, notUseful: 2, usefulRate: 1 / 3, unchangedShare: 1 / 3 },
        { agentId: agent2.id, name: agent2.name, submitted: 3, useful: 2, notUseful: 1, usefulRate: 2 / 3, unchangedShare: 2 / 3 },
      ]),
    );
  });

  it("per topic", async () => {
    expect(await getVolumeByTopic(filtersFor(range))).toEqual([
      { topic, replays: 7, submitted: 6, pending: 1, useful: 3, notUseful: 3, usefulRate: 0.5 },
    ]);
    expect(await getVolumeByTopic(filtersFor({ topic, from: "2001-01-01", to: "2001-01-01" }))).toEqual([]);
  });
});

describe("getEditDistribution", () => {
  it("buckets the share of words changed, with the share sent unchanged", async () => {
    const result = await getEditDistribution(filtersFor(range));
    expect(result.measured).toBe(6);
    expect(Object.fromEntries(result.buckets.map((b) => [b.key, b.count]))).toEqual({
      unchanged: 3, upTo10: 0, upTo25: 1, upTo50: 0, upTo75: 0, over75: 2,
    });
    expect(result.unchangedShare).toBe(0.5);
    expect(result.meanEditRatio).toBeCloseTo(2.2 / 6, 5);
  });

  it("is empty, with null shares, for an empty range", async () => {
    const result = await getEditDistribution(filtersFor({ topic, from: "2002-01-01", to: "2002-12-31" }));
    expect(result.measured).toBe(0);
    expect(result.unchangedShare).toBeNull();
    expect(result.meanEditRatio).toBeNull();
    expect(result.buckets.every((b) => b.count === 0 && b.share === null)).toBe(true);
  });
});

describe("findWorstPrompts", () => {
  it("groups not-useful replays by normalised prompt, most first, with the latest example", async () => {
    const rows = await findWorstPrompts(filtersFor(range));
    expect(rows.map((r) => [r.notUseful, r.example, r.lastSeen, r.topic])).toEqual([
      [2, refund5, "2001-03-13", topic],
      [1, "How do I cancel?", "2001-03-07", topic],
    ]);
  });

  it("respects the filters, including a single day and an empty range", async () => {
    expect((await findWorstPrompts(filtersFor({ ...range, agent: agent2.id }))).map((r) => [r.notUseful, r.example])).toEqual([[1, "How do I cancel?"]]);
    expect((await findWorstPrompts(filtersFor({ topic, from: "2001-03-05", to: "2001-03-05" }))).map((r) => [r.notUseful, r.example])).toEqual([[1, refund2]]);
    expect(await findWorstPrompts(filtersFor({ topic, from: "2001-03-08", to: "2001-03-11" }))).toEqual([]);
  });
});

describe("getTrainingFunnel", () => {
  it("not useful → examples, and the examples without a usable completion as a drop-out", async () => {
    const counts = async (f: Parameters<typeof filtersFor>[0]) => {
      const funnel = await getTrainingFunnel(filtersFor(f));
      return [...funnel.stages.slice(0, 2).map((s) => [s.key, s.count]), ["unusable", funnel.dropped.find((d) => d.key === "unusable")!.count]];
    };
    expect(await counts(range)).toEqual([
      ["not_useful", 3],
      ["examples", 3],
      ["unusable", 1],
    ]);
    expect((await counts({ ...range, model: modelB })).map((s) => s[1])).toEqual([1, 1, 1]);
    expect((await counts({ topic, from: "1990-01-01", to: "1990-01-01" })).map((s) => s[1])).toEqual([0, 0, 0]);
  });
});
