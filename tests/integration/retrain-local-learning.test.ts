import { beforeAll, describe, expect, it } from "vitest";
import { generateSuggestion } from "@/lib/ai/generate-suggestion";
import { LOCAL_MODEL } from "@/lib/ai/model-version";
import { registerModelVersion } from "@/lib/ai/register-model-version";
import { getPool } from "@/lib/db/client";
import { evaluateCandidate } from "@/lib/retrain/evaluate-candidate";
import { trainLocalCandidate } from "@/lib/retrain/train-local-candidate";
import { buildDataset } from "@/lib/training/build-dataset";
import { localConfig } from "../support/ai";
import { testWeek } from "../support/retrain-factories";
import { randomWords, storeQuestionReplays } from "../support/training-factories";

/**
 * The local retrain learns something the same-day retrieval does not have: each question's
 * typical answer (most agents gave it) rather than the newest one (here a terse aside), and the
 * words that tell the questions apart. Held out: whole wordings the candidate never saw.
 */
const WORDINGS = 12;
const ASIDES = 2; // the newest replies of each question: terse, not the team's answer

type Question = { words: string[]; answer: string; replayIds: string[] };

async function teachQuestion(): Promise<Question> {
  const words = randomWords(3).split(" ");
  const answer = `Our answer is ${randomWords(9)} and that settles it.`;
  const [a, b, c] = words as [string, string, string];
  const orders = [`${a} ${b} ${c}`, `${c} ${a} ${b}`, `${b} ${c} ${a}`, `${a} ${c} ${b}`];
  const stored = await storeQuestionReplays({
    question: { variant: (i) => `${orders[i % orders.length]} ${randomWords(1)} please help` },
    no: WORDINGS,
    reply: (i) => (i >= WORDINGS - ASIDES ? "Done, sorted." : answer),
  });
  return { words, answer, replayIds: stored.map((s) => s.id) };
}

async function newRun() {
  const { rows } = await getPool().query(
    "INSERT INTO retrain_runs (iso_week, status, mode, target, trigger) VALUES ($1, 'evaluating', 'upload', 'local', 'cli') RETURNING id",
    [testWeek()],
  );
  return String(rows[0].id);
}

let questions: Question[];
/** The candidate learned from good data: the active version the bad one is measured against. */
let learnedWell: Awaited<ReturnType<typeof registerModelVersion>>;
let datasetId: string;
const since = new Date(Date.now() - 60_000);

beforeAll(async () => {
  questions = [];
  for (let q = 0; q < 3; q++) questions.push(await teachQuestion());
  const dataset = await buildDataset({ source: "worst-prompts", since, threshold: 5, createdVia: "test" });
  datasetId = dataset.id;
}, 120_000);

/** Our examples in the dataset, with their side of the split. */
async function ourMembers() {
  const { rows } = await getPool().query<{ id: string; validation: boolean; group_id: string; replay_id: string }>(
    `SELECT t.id, m.validation, t.prompt_group_id AS group_id, t.replay_id FROM dataset_chunks c
     CROSS JOIN LATERAL unnest(c.example_ids, c.validation) AS m(example_id, validation)
     JOIN training_log t ON t.id = m.example_id
     WHERE c.dataset_id = $1 AND t.replay_id = ANY($2::uuid[])`,
    [datasetId, questions.flatMap((q) => q.replayIds)],
  );
  return rows;
}

describe("the local retrain", () => {
  it("holds out whole wordings of each question, never its every wording", async () => {
    const members = await ourMembers();
    expect(members.length).toBe(3 * WORDINGS);
    const groups = new Set(members.map((m) => m.group_id));
    expect(groups.size).toBe(3); // one group per question: the same answer links the wordings
    const validation = members.filter((m) => m.validation);
    expect(validation.length).toBeGreaterThan(0);
    // Some question has both sides: its held-out wordings are new to a candidate that learned it.
    expect([...groups].some((g) => members.some((m) => m.group_id === g && m.validation) && members.some((m) => m.group_id === g && !m.validation))).toBe(true);
  });

  it("learns a candidate that answers held-out wordings with the team's answer and wins against the retrieval", async () => {
    const candidate = await registerModelVersion({ provider: "local", name: "local-learned", version: testWeek() });
    const learned = await trainLocalCandidate({ datasetId, modelVersionId: candidate.id });
    learnedWell = candidate;
    expect(learned.questions).toBeGreaterThanOrEqual(3);
    const baseline = await registerModelVersion(LOCAL_MODEL);

    // A wording none of the training lines has: the candidate knows the question, and answers as most agents did.
    const q = questions[0]!;
    const fresh = await generateSuggestion({ message: `${q.words[1]} ${q.words[0]} ${randomWords(2)}`, model: { version: candidate }, config: localConfig() });
    expect(fresh.basis.kind).toBe("learned");
    expect(fresh.text).toBe(q.answer);

    const evaluation = await evaluateCandidate({ runId: await newRun(), datasetId, candidate, baseline, config: localConfig(), limit: 10_000 });
    const report = evaluation.report as { items: { exampleId: string; candidateScore: number; baselineScore: number }[]; groups: { groupId: string }[] };
    const ours = new Set((await ourMembers()).filter((m) => m.validation).map((m) => m.id));
    const mine = report.items.filter((i) => ours.has(i.exampleId));
    expect(mine.length).toBeGreaterThan(0);
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean(mine.map((i) => i.candidateScore))).toBeGreaterThan(mean(mine.map((i) => i.baselineScore)));
    expect(report.groups.length).toBeGreaterThan(0);
  });

  it("loses against the version learned well when trained on bad data (training answers of the wrong question)", async () => {
    // The training side's answers swapped between the questions; the held-out side is untouched.
    const members = await ourMembers();
    const questionOf = (m: { replay_id: string }) => questions.findIndex((q) => q.replayIds.includes(m.replay_id));
    const train = members.filter((m) => !m.validation);
    const pool = getPool();
    const original = await pool.query<{ id: string; clean_completion: string }>("SELECT id, clean_completion FROM training_log WHERE id = ANY($1::uuid[])", [train.map((m) => m.id)]);
    try {
      for (const m of train) {
        const wrong = questions[(questionOf(m) + 1) % questions.length]!.answer;
        await pool.query("UPDATE training_log SET clean_completion = $2 WHERE id = $1", [m.id, wrong]);
      }
      const candidate = await registerModelVersion({ provider: "local", name: "local-learned", version: testWeek() });
      await trainLocalCandidate({ datasetId, modelVersionId: candidate.id });
      const evaluation = await evaluateCandidate({ runId: await newRun(), datasetId, candidate, baseline: learnedWell, config: localConfig(), limit: 10_000 });
      const ours = new Set(members.filter((m) => m.validation).map((m) => m.id));
      const mine = (evaluation.report as { items: { exampleId: string; candidateScore: number; baselineScore: number }[] }).items.filter((i) => ours.has(i.exampleId));
      const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
      expect(mean(mine.map((i) => i.candidateScore))).toBeLessThan(mean(mine.map((i) => i.baselineScore)));
    } finally {
      for (const row of original.rows) await pool.query("UPDATE training_log SET clean_completion = $2 WHERE id = $1", [row.id, row.clean_completion]);
    }
  });

  it("answers by retrieval, not an error, when the version's artifact is of a format this app cannot read", async () => {
    const version = await registerModelVersion({ provider: "local", name: "local-future", version: testWeek() });
    await getPool().query(
      "INSERT INTO model_artifacts (model_version_id, kind, format, params, weights) VALUES ($1, 'meaning-softmax', 99, '{}'::jsonb, '')",
      [version.id],
    );
    const q = questions[0]!;
    const suggestion = await generateSuggestion({ message: `${q.words[0]} ${q.words[1]} ${q.words[2]}`, model: { version }, config: localConfig() });
    expect(suggestion.basis.kind).not.toBe("learned");
    expect(suggestion.text.length).toBeGreaterThan(0);
  });
});
