import "server-only";
import { getPool } from "@/lib/db/client";
import { DEMO_TOPICS } from "@/lib/demo/demo-topics";

const AGENTS = 24;
const BATCH = 100_000;
/** Three model versions over the period, each a little better: the dashboard should show it. */
const MODELS = [
  { name: "support-base@v1", until: 0.4, bonus: -0.1 },
  { name: "support-ft@v2", until: 0.75, bonus: 0 },
  { name: "support-ft@v3", until: 1, bonus: 0.1 },
];

/**
 * Adds `replays` synthetic replays (with their training examples) spread over `weeks` weeks up to
 * now, generated inside PostgreSQL with generate_series in batches of 100,000: about a minute per
 * million on a 2-core machine. The last 0.5% are pending; the "no"s' self-critiques are done. For
 * benchmarks, never for production.
 */
export async function seedBench({ replays, weeks = 52, log = () => {} }: { replays: number; weeks?: number; log?: (line: string) => void }) {
  const pool = getPool();
  const agents = await pool.query(
    `INSERT INTO users (email, name, role)
     SELECT 'bench-agent-' || n || '@example.com', 'Bench agent ' || lpad(n::text, 2, '0'), 'agent'
     FROM generate_series(1, $1::int) n
     ON CONFLICT (email) DO UPDATE SET name = excluded.name RETURNING id`,
    [AGENTS],
  );
  const agentIds = agents.rows.map((r) => r.id as string);
  const topics = DEMO_TOPICS.map((t) => t.topic);
  const messages = DEMO_TOPICS.flatMap((t) => [0, 1, 2].map((i) => t.messages[i % t.messages.length]!));
  const aiReplies = DEMO_TOPICS.map((t) => t.aiReply);
  const agentReplies = DEMO_TOPICS.map((t) => t.agentReplies[0]);
  const rates = DEMO_TOPICS.map((t) => t.usefulRate);

  for (let start = 0; start < replays; start += BATCH) {
    const end = Math.min(replays, start + BATCH) - 1;
    const started = performance.now();
    await pool.query(
      `WITH g AS (
         SELECT i, i::float8 / $6 AS t, random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5,
                floor(random() * array_length($1::text[], 1))::int + 1 AS k, floor(random() * array_length($10::uuid[], 1))::int + 1 AS a
         FROM generate_series($7::int, $8::int) i
       ), shaped AS (
         SELECT g.*, (g.t > 0.995) AS pending,
                CASE WHEN g.t < ${MODELS[0]!.until} THEN '${MODELS[0]!.name}' WHEN g.t < ${MODELS[1]!.until} THEN '${MODELS[1]!.name}' ELSE '${MODELS[2]!.name}' END AS model,
                CASE WHEN g.t < ${MODELS[0]!.until} THEN ${MODELS[0]!.bonus} WHEN g.t < ${MODELS[1]!.until} THEN ${MODELS[1]!.bonus} ELSE ${MODELS[2]!.bonus} END AS bonus,
                replace(($2::text[])[(g.k - 1) * 3 + 1 + floor(g.r3 * 3)::int], '{n}', (10000 + g.i % 89999)::text) AS message,
                replace(($3::text[])[g.k], '{n}', (10000 + g.i % 89999)::text) AS ai_reply
         FROM g
       ), r AS (
         INSERT INTO feedback_replay_log
           (message, ai_reply, agent_reply, feedback, status, topic, model, source, prompt_hash, agent_id, agent_email, created_at, submitted_at)
         SELECT s.message, s.ai_reply,
                CASE WHEN s.pending THEN NULL
                     WHEN s.r1 < ($5::float8[])[s.k] + s.bonus THEN (CASE WHEN s.r5 < 0.8 THEN s.ai_reply ELSE s.ai_reply || ' Anything else I can help with?' END)
                     WHEN s.r5 < 0.04 THEN 'N/A'
                     ELSE replace(($4::text[])[s.k], '{n}', (10000 + s.i % 89999)::text) END,
                CASE WHEN s.pending THEN NULL WHEN s.r1 < ($5::float8[])[s.k] + s.bonus THEN 'yes' ELSE 'no' END::feedback,
                CASE WHEN s.pending THEN 'pending' ELSE 'submitted' END::replay_status,
                ($1::text[])[s.k], s.model, 'bench',
                md5(($1::text[])[s.k] || ':' || floor(power(s.r2, 3) * 3000)::int),
                CASE WHEN s.pending THEN NULL ELSE ($10::uuid[])[s.a] END, NULL,
                now() - make_interval(secs => $9::float8 * 604800 * (1 - s.t) + s.r4 * 3600),
                CASE WHEN s.pending THEN NULL ELSE now() - make_interval(secs => $9::float8 * 604800 * (1 - s.t)) END
         FROM shaped s
         RETURNING id, message, agent_reply, feedback, created_at
       )
       INSERT INTO training_log (prompt, completion, status, replay_id, created_at)
       SELECT message, CASE WHEN agent_reply = 'N/A' THEN '' ELSE agent_reply END,
              CASE WHEN agent_reply = 'N/A' THEN 'needs_completion' ELSE 'ready' END::training_example_status, id, created_at
       FROM r WHERE feedback = 'no'`,
      [topics, messages, aiReplies, agentReplies, rates, replays, start, end, weeks, agentIds],
    );
    // The self-critiques the trigger queued for this batch's "no"s, done as the AI engine leaves
    // them: a category by topic and chance, an agent's category on a third (mostly agreeing).
    await pool.query(
      `UPDATE failure_analyses fa
       SET status = 'done', attempts = 1, provider = 'local', model = 'bench', analyzed_at = r.created_at + interval '1 minute',
           category = (enum_range(NULL::failure_category))[1 + (abs(hashtext(r.topic)) + floor(random() * 3)::int) % 8],
           explanation = 'The reply did not answer what the customer asked about ' || coalesce(r.topic, 'this') || '.',
           suggested_fix = 'Answer the question first, then the next step.',
           agent_category = CASE WHEN random() < 0.33 THEN (enum_range(NULL::failure_category))[1 + (abs(hashtext(r.topic)) + floor(random() * 4)::int) % 8] END
       FROM feedback_replay_log r
       WHERE fa.replay_id = r.id AND fa.status = 'pending' AND r.source = 'bench'`,
    );
    log(`  ${end + 1} of ${replays} replays (${((performance.now() - started) / 1000).toFixed(1)} s for this batch)`);
  }
  await pool.query("ANALYZE feedback_replay_log, training_log, analytics_daily, failure_analyses, analytics_failures_daily");
}
