import "server-only";
import { getPool } from "@/lib/db/client";
import { MeaningIndex } from "@/lib/meaning/meaning-index";
import { CLASSIFIER_FORMAT, CLASSIFIER_KIND, encodeWeights, trainClassifier, type ClassifierParams, type TrainingMessage } from "@/lib/retrain/local-classifier";

/** The rest of the traffic learned as "other", at most (the newest messages outside the dataset's questions). */
const OTHER_MESSAGES = 2000;
/** A question's answers compared to choose the one it is answered with (the newest). */
const ANSWERS = 50;

// The dataset's training side: redacted prompts and completions with their question.
const TRAIN_SQL = `
SELECT t.clean_prompt AS prompt, t.clean_completion AS completion, t.prompt_group_id AS group_id
FROM dataset_chunks c
CROSS JOIN LATERAL unnest(c.example_ids, c.validation) WITH ORDINALITY AS m(example_id, validation, n)
JOIN training_log t ON t.id = m.example_id
WHERE c.dataset_id = $1 AND NOT m.validation AND t.clean_prompt IS NOT NULL AND t.clean_completion IS NOT NULL
ORDER BY c.first_ordinal, m.n`;

// Other questions customers asked (not the dataset's, not held out): what the model must not answer.
const OTHER_SQL = `
SELECT message FROM feedback_replay_log
WHERE prompt_group_id IS NOT NULL AND NOT (prompt_group_id = ANY($1::uuid[]))
ORDER BY created_at DESC LIMIT ${OTHER_MESSAGES}`;

/**
 * The local target's training step: learns a classifier (lib/retrain/local-classifier.ts) from
 * the dataset's training split, each question answered with its most typical agent reply (the
 * one most alike to the others), and stores it as the artifact of `modelVersionId`. The
 * validation split is never read here. Returns what was learned, for the run's log.
 */
export async function trainLocalCandidate({ datasetId, modelVersionId }: { datasetId: string; modelVersionId: string }) {
  const pool = getPool();
  const { rows } = await pool.query<{ prompt: string; completion: string; group_id: string | null }>(TRAIN_SQL, [datasetId]);
  const byGroup = new Map<string, { prompts: string[]; completions: string[] }>();
  for (const row of rows) {
    const key = row.group_id ?? `example:${byGroup.size}`;
    const entry = byGroup.get(key) ?? { prompts: [], completions: [] };
    entry.prompts.push(row.prompt);
    entry.completions.push(row.completion);
    byGroup.set(key, entry);
  }
  const groupIds = [...byGroup.keys()].filter((k) => !k.startsWith("example:"));
  const other = (await pool.query<{ message: string }>(OTHER_SQL, [groupIds])).rows.map((r) => r.message);
  const classes: ClassifierParams["classes"] = [];
  const messages: TrainingMessage[] = [];
  for (const [key, entry] of byGroup) {
    const label = classes.length;
    classes.push({ groupId: key.startsWith("example:") ? null : key, answer: typicalAnswer(entry.completions.slice(-ANSWERS)), examples: entry.prompts.length });
    for (const text of entry.prompts) messages.push({ text, label });
  }
  const otherLabel = classes.length;
  classes.push({ groupId: null, answer: null, examples: other.length });
  for (const text of other) messages.push({ text, label: otherLabel });
  const classifier = trainClassifier(messages, classes);
  await pool.query(
    `INSERT INTO model_artifacts (model_version_id, kind, format, params, weights) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (model_version_id) DO UPDATE SET kind = EXCLUDED.kind, format = EXCLUDED.format, params = EXCLUDED.params, weights = EXCLUDED.weights`,
    [modelVersionId, CLASSIFIER_KIND, CLASSIFIER_FORMAT, JSON.stringify(classifier.params), encodeWeights(classifier.weights)],
  );
  return { questions: classes.length - 1, examples: rows.length, other: other.length, features: classifier.params.features.length };
}

/** The reply most alike, on average, to the question's other replies: the team's answer, not one agent's aside. */
function typicalAnswer(replies: string[]): string {
  if (replies.length <= 2) return replies[replies.length - 1]!;
  const index = new MeaningIndex();
  const analysed = replies.map((r) => {
    index.add(r);
    return index.analyze(r);
  });
  let best = replies.length - 1;
  let bestScore = -1;
  analysed.forEach((a, i) => {
    let sum = 0;
    analysed.forEach((b, j) => {
      if (i !== j) sum += index.compare(a, b).score;
    });
    if (sum > bestScore + 1e-9 || (Math.abs(sum - bestScore) <= 1e-9 && i > best)) {
      bestScore = sum;
      best = i;
    }
  });
  return replies[best]!;
}
