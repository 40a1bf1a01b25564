import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { listReplayHistory } from "@/lib/ai/list-replay-history";
import { historyQuerySchema } from "@/lib/ai/schemas";
import { getFailureCategories } from "@/lib/analytics/get-failure-categories";
import { getTrainingFunnel } from "@/lib/analytics/get-training-funnel";
import { getUsefulnessOverTime } from "@/lib/analytics/get-usefulness-over-time";
import { listRetrainRuns } from "@/lib/analytics/list-retrain-runs";
import { toPanelTable } from "@/lib/analytics/panel-tables";
import { rebuildAnalytics } from "@/lib/analytics/rebuild-analytics";
import { getPool } from "@/lib/db/client";
import { buildDataset } from "@/lib/training/build-dataset";
import { mergeExamples } from "@/lib/training/merge-examples";
import { reviewExamples } from "@/lib/training/review-examples";
import { filtersFor, insertReplays, uniqueTopic } from "../support/analytics-fixtures";
import { createUser } from "../support/factories";
import { randomWords } from "../support/training-factories";

/*
 * Hand-counted. Range 2002-04-01 (Mon) .. 2002-04-14 (Sun), two ISO weeks, one topic of our own.
 * Ten "not useful" replays (r0..r9) with examples; r9's example has no usable completion.
 *   week 1 (04-01..04-07): r0..r5   week 2 (04-08..04-14): r6..r9
 * Self-critiques (done): r0 r1 r2 r6 wrong_facts · r3 r7 too_generic · r4 wrong_tone; r5 failed, r8 r9 pending.
 * Agents' categories: r0 wrong_facts (agrees), r1 too_generic (corrects), r3 too_generic (agrees), r4 missing_action (corrects).
 * → wrong_facts 4 (rated 2, agreed 1), too_generic 2 (1, 1), wrong_tone 1 (1, 0); all 7 (rated 4, agreed 2: 50%).
 */
const topic = uniqueTopic();
const range = { topic, from: "2002-04-01", to: "2002-04-14" };
const days = ["01", "02", "03", "04", "05", "06", "08", "09", "10", "11"];
let replays: string[] = [];
let examples: string[] = [];
let customer: string;

async function analyse(replayId: string, category: string, agentCategory: string | null, explanation = `The reply missed ${randomWords(2)}.`) {
  await getPool().query(
    `UPDATE failure_analyses SET status = 'done', category = $2, explanation = $3, suggested_fix = $4, agent_category = $5,
            analyzed_at = (SELECT created_at FROM feedback_replay_log WHERE id = $1) + interval '1 hour'
     WHERE replay_id = $1`,
    [replayId, category, explanation, `Say ${randomWords(2)}.`, agentCategory],
  );
}

beforeAll(async () => {
  const agent = await createUser("agent");
  const surname = randomWords(1);
  customer = `Zelda ${surname[0]!.toUpperCase()}${surname.slice(1)}`;
  replays = await insertReplays(
    days.map((d, i) => ({
      at: `2002-04-${d}T10:00:00Z`,
      topic,
      agentId: agent.id,
      feedback: "no" as const,
      message: `${randomWords(4)} order question`,
      agentReply: `Reply ${randomWords(3)}.`,
      example: i === 9 ? ("needs_completion" as const) : ("ready" as const),
    })),
  );
  await getPool().query("UPDATE feedback_replay_log SET customer_name = $2 WHERE id = $1", [replays[6], customer]);
  const { rows } = await getPool().query("SELECT id, replay_id FROM training_log WHERE replay_id = ANY($1::uuid[])", [replays]);
  examples = replays.map((r) => rows.find((x) => x.replay_id === r)!.id);
  await analyse(replays[0]!, "wrong_facts", "wrong_facts");
  await analyse(replays[1]!, "wrong_facts", "too_generic");
  await analyse(replays[2]!, "wrong_facts", null);
  await analyse(replays[3]!, "too_generic", "too_generic");
  await analyse(replays[4]!, "wrong_tone", "missing_action");
  await getPool().query("UPDATE failure_analyses SET status = 'failed', attempts = 3, last_error = 'timeout' WHERE replay_id = $1", [replays[5]]);
  await analyse(replays[6]!, "wrong_facts", null, `Newest: it told ${customer} the wrong date.`);
  await analyse(replays[7]!, "too_generic", null);
});

describe("getFailureCategories", () => {
  it("counts the AI's categories per week, and the agents' agreement where they rated one", async () => {
    const f = await getFailureCategories(filtersFor(range));
    expect(f.categories.map((c) => [c.category, c.analyses, c.rated, c.agreed])).toEqual([
      ["wrong_facts", 4, 2, 1],
      ["too_generic", 2, 1, 1],
      ["wrong_tone", 1, 1, 0],
    ]);
    expect(f.total).toEqual({ analyses: 7, rated: 4, agreed: 2, agreementRate: 0.5 });
    expect(f.periods).toEqual([
      { period: "2002-04-01", total: 5, byCategory: { wrong_facts: 3, too_generic: 1, wrong_tone: 1 } },
      { period: "2002-04-08", total: 2, byCategory: { wrong_facts: 1, too_generic: 1 } },
    ]);
    // The newest explanation of each top category, redacted: the customer's name never shows.
    expect(f.latest.map((l) => [l.category, l.replayId])).toEqual([
      ["wrong_facts", replays[6]],
      ["too_generic", replays[7]],
      ["wrong_tone", replays[4]],
    ]);
    expect(f.latest[0]!.explanation).toContain("Newest: it told");
    expect(f.latest[0]!.explanation).not.toContain(customer.split(" ")[1]);
  });

  it("follows a correction and the filters; the table links every count to its replays", async () => {
    await getPool().query("UPDATE failure_analyses SET agent_category = 'wrong_facts' WHERE replay_id = $1", [replays[2]]);
    const f = await getFailureCategories(filtersFor(range));
    expect(f.total).toEqual({ analyses: 7, rated: 5, agreed: 3, agreementRate: 0.6 });
    expect((await getFailureCategories(filtersFor({ ...range, to: "2002-04-07" }))).total.analyses).toBe(5);
    expect((await getFailureCategories(filtersFor({ ...range, model: `none ${randomUUID()}` }))).total.analyses).toBe(0);
    const table = toPanelTable("failures", f, filtersFor(range));
    expect(table.rows[0]!.slice(0, 2)).toEqual(["Wrong facts", 4]);
    expect(table.links![0]![1]).toBe(`/history?from=2002-04-01&to=2002-04-14&topic=${encodeURIComponent(topic).replaceAll("%20", "+")}&feedback=no&category=wrong_facts`);
    // The rebuild gives the same figures as the triggers kept.
    await rebuildAnalytics();
    expect((await getFailureCategories(filtersFor(range))).total).toEqual({ analyses: 7, rated: 5, agreed: 3, agreementRate: 0.6 });
  });
});

describe("the replays behind a number (/history, filtered as the dashboard links it)", () => {
  const listed = async (extra: Record<string, string>) => {
    const { items } = await listReplayHistory({ agentId: null, query: historyQuerySchema.parse({ ...range, feedback: "no", ...extra }) });
    return items.map((i) => replays.indexOf(i.id)).sort((a, b) => a - b);
  };
  it("lists exactly the replays each count is made of", async () => {
    expect(await listed({})).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await listed({ category: "wrong_facts" })).toEqual([0, 1, 2, 6]);
    expect(await listed({ category: "wrong_facts", agreement: "agreed" })).toEqual([0, 2]); // r2 agreed after the correction above
    expect(await listed({ agreement: "rated" })).toEqual([0, 1, 2, 3, 4]);
    expect(await listed({ agreement: "corrected" })).toEqual([1, 4]);
    expect(await listed({ analysis: "failed" })).toEqual([5]);
    expect(await listed({ to: "2002-04-07" })).toEqual([0, 1, 2, 3, 4, 5]);
    expect(await listed({ category: "not_a_category" })).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]); // an unknown value is ignored, never an error
  });
});

describe("getTrainingFunnel", () => {
  it("counts each stage after a review, an export and a retrain, and why examples drop out", async () => {
    const counts = async () => {
      const f = await getTrainingFunnel(filtersFor(range));
      return { stages: Object.fromEntries(f.stages.map((s) => [s.key, s.count])), dropped: Object.fromEntries(f.dropped.map((s) => [s.key, s.count])) };
    };
    expect((await counts()).stages).toEqual({ not_useful: 10, examples: 10, approved: 0, exported: 0, fine_tuned: 0, promoted: 0 });

    const manager = await createUser("manager");
    await reviewExamples({ ids: examples.slice(0, 6), decision: "approve", reviewerId: manager.id });
    await reviewExamples({ ids: [examples[6]!], decision: "reject", reviewerId: manager.id });
    await mergeExamples({ ids: [examples[7]!], into: examples[0]!, reviewerId: manager.id });
    let c = await counts();
    expect(c.stages).toMatchObject({ approved: 6, exported: 0 });
    expect(c.dropped).toMatchObject({ unusable: 1, rejected: 1, merged: 1 });

    const dataset = await buildDataset({ source: "approved", split: "all", createdVia: "test" });
    c = await counts();
    expect(c.stages).toMatchObject({ approved: 6, exported: 6, fine_tuned: 0, promoted: 0 });

    // A retrain trained a candidate on that dataset, then its evaluation promoted it.
    const versionName = `loop-${randomUUID()}`;
    const { rows: versions } = await getPool().query(
      `INSERT INTO model_versions (provider, name, version, promoted_at, activated_by)
       VALUES ('local', $1, 'candidate', '2002-04-10T12:00:00Z', 'retrain'), ('local', $1, 'baseline', NULL, NULL) RETURNING id`,
      [versionName],
    );
    const { rows: runs } = await getPool().query(
      `INSERT INTO retrain_runs (iso_week, status, mode, target, trigger, dataset_id, candidate_model_version_id, created_at)
       VALUES ($1, 'succeeded', 'upload', 'local', 'cli', $2, $3, '2002-04-10T06:00:00Z') RETURNING id`,
      [`test-${randomUUID()}`, dataset.id, versions[0].id],
    );
    c = await counts();
    // In a fine-tune = on the training side of the dataset (the split is by meaning, so we ask the dataset).
    const { rows: sides } = await getPool().query(
      `SELECT count(*) FILTER (WHERE NOT u.validation)::int AS train FROM dataset_chunks c, unnest(c.example_ids, c.validation) u(id, validation)
       WHERE c.dataset_id = $1 AND u.id = ANY($2::uuid[])`,
      [dataset.id, examples],
    );
    const train = sides[0].train as number;
    expect(train).toBeGreaterThan(0);
    expect(c.stages).toMatchObject({ exported: 6, fine_tuned: train, promoted: 0 });
    const report = {
      split: "validation",
      judged: false,
      margin: 0.02,
      items: [],
      errors: 0,
      groups: [
        { groupId: null, examples: 2, candidateScore: 0.8, baselineScore: 0.5 },
        { groupId: null, examples: 1, candidateScore: 0.4, baselineScore: 0.6 },
        { groupId: null, examples: 1, candidateScore: 0.5, baselineScore: 0.51 },
      ],
    };
    await getPool().query(
      `INSERT INTO model_evaluations (run_id, candidate_version_id, baseline_version_id, examples, candidate_score, baseline_score, winner, report, decision)
       VALUES ($1, $2, $3, 4, 0.62, 0.53, 'candidate', $4, 'promoted')`,
      [runs[0].id, versions[0].id, versions[1].id, JSON.stringify(report)],
    );
    expect((await counts()).stages).toEqual({ not_useful: 10, examples: 10, approved: 6, exported: 6, fine_tuned: train, promoted: train });

    const listed = (await listRetrainRuns(filtersFor(range))).find((r) => r.id === runs[0].id)!;
    expect(listed).toMatchObject({
      target: "local",
      status: "succeeded",
      datasetId: dataset.id,
      candidateScore: 0.62,
      baselineScore: 0.53,
      groupsBetter: 1,
      groupsWorse: 1,
      groupsEven: 1,
      decision: "promoted",
    });
    expect(toPanelTable("runs", [listed]).links![0]![0]).toBe(`/retrain#run-${runs[0].id}`);

    // The usefulness chart marks the promotion with the week before and after (none useful here).
    const usefulness = await getUsefulnessOverTime(filtersFor(range));
    expect(usefulness.promotions.filter((p) => p.version === `${versionName}@candidate`)).toEqual([
      expect.objectContaining({ day: "2002-04-10", period: "2002-04-08", before: { submitted: 6, useful: 0, rate: 0 }, after: { submitted: 2, useful: 0, rate: 0 } }),
    ]);
  });
});
