-- Analytics (issue 7): the edit measure on each replay and the analytics_daily rollup, both kept
-- by triggers so that every write path (helpdesk API, the agents' submit, seeds, imports, later
-- features) keeps them exact in its own transaction without knowing about them.

-- fuzzystrmatch is a trusted contrib extension (PostgreSQL 13+): a database owner may create it.
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;
--> statement-breakpoint

-- Each word becomes one character (a 14-bit hash in the CJK block), so levenshtein() — written in C,
-- limited to 255 characters — counts word edits. Replies longer than 255 words are measured on
-- their first 255 words.
CREATE OR REPLACE FUNCTION analytics_word_codes(reply text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(string_agg(chr(19968 + (hashtext(w) & 16383)), '' ORDER BY n), '')
  FROM (
    SELECT w, n FROM regexp_split_to_table(btrim(reply), '\s+') WITH ORDINALITY AS s(w, n)
    WHERE w <> '' ORDER BY n LIMIT 255
  ) words
$$;
--> statement-breakpoint

-- Sets edit_distance (word edits from ai_reply to agent_reply) and edit_ratio (that over the longer
-- reply's word count). 0 only when the replies are equal up to whitespace, so a hash collision can
-- never count an edited reply as "sent unchanged".
CREATE OR REPLACE FUNCTION analytics_measure_edit() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  a text;
  b text;
  longest int;
BEGIN
  IF NEW.agent_reply IS NULL THEN
    NEW.edit_distance := NULL;
    NEW.edit_ratio := NULL;
    RETURN NEW;
  END IF;
  IF regexp_replace(btrim(NEW.ai_reply), '\s+', ' ', 'g') = regexp_replace(btrim(NEW.agent_reply), '\s+', ' ', 'g') THEN
    NEW.edit_distance := 0;
    NEW.edit_ratio := 0;
    RETURN NEW;
  END IF;
  a := analytics_word_codes(NEW.ai_reply);
  b := analytics_word_codes(NEW.agent_reply);
  longest := greatest(length(a), length(b), 1);
  NEW.edit_distance := greatest(levenshtein(a, b), 1);
  NEW.edit_ratio := least(NEW.edit_distance::real / longest, 1);
  RETURN NEW;
END
$$;
--> statement-breakpoint

CREATE TRIGGER feedback_replay_log_measure_edit
BEFORE INSERT OR UPDATE OF ai_reply, agent_reply ON feedback_replay_log
FOR EACH ROW EXECUTE FUNCTION analytics_measure_edit();
--> statement-breakpoint

-- The rollup's upsert for a set of replay rows, each with a sign (+1 added, -1 removed). `source`
-- is a query yielding sign, created_at, topic, model, agent_id, status, feedback, edit_ratio.
-- Keys are upserted in sorted order, so concurrent writers lock rollup rows in the same order.
CREATE OR REPLACE FUNCTION analytics_replay_delta_sql(source text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT format($q$
    INSERT INTO analytics_daily AS a
      (day, topic, model, agent_id, replays, pending, submitted, useful, not_useful,
       edit_measured, edit_unchanged, edit_up_to_10, edit_up_to_25, edit_up_to_50, edit_up_to_75,
       edit_over_75, edit_ratio_sum)
    SELECT (c.created_at AT TIME ZONE 'UTC')::date, c.topic, c.model, c.agent_id,
      sum(c.sign),
      coalesce(sum(c.sign) FILTER (WHERE c.status = 'pending'), 0),
      coalesce(sum(c.sign) FILTER (WHERE c.status = 'submitted'), 0),
      coalesce(sum(c.sign) FILTER (WHERE c.status = 'submitted' AND c.feedback = 'yes'), 0),
      coalesce(sum(c.sign) FILTER (WHERE c.status = 'submitted' AND c.feedback = 'no'), 0),
      coalesce(sum(c.sign) FILTER (WHERE c.measured), 0),
      coalesce(sum(c.sign) FILTER (WHERE c.measured AND c.edit_ratio = 0), 0),
      coalesce(sum(c.sign) FILTER (WHERE c.measured AND c.edit_ratio > 0 AND c.edit_ratio <= 0.10), 0),
      coalesce(sum(c.sign) FILTER (WHERE c.measured AND c.edit_ratio > 0.10 AND c.edit_ratio <= 0.25), 0),
      coalesce(sum(c.sign) FILTER (WHERE c.measured AND c.edit_ratio > 0.25 AND c.edit_ratio <= 0.50), 0),
      coalesce(sum(c.sign) FILTER (WHERE c.measured AND c.edit_ratio > 0.50 AND c.edit_ratio <= 0.75), 0),
      coalesce(sum(c.sign) FILTER (WHERE c.measured AND c.edit_ratio > 0.75), 0),
      coalesce(sum(c.sign * c.edit_ratio::float8) FILTER (WHERE c.measured), 0)
    FROM (SELECT s.*, (s.status = 'submitted' AND s.edit_ratio IS NOT NULL) AS measured FROM (%s) s) c
    GROUP BY 1, 2, 3, 4
    ORDER BY 1, 2, 3, 4
    ON CONFLICT ON CONSTRAINT analytics_daily_key DO UPDATE SET
      replays = a.replays + excluded.replays,
      pending = a.pending + excluded.pending,
      submitted = a.submitted + excluded.submitted,
      useful = a.useful + excluded.useful,
      not_useful = a.not_useful + excluded.not_useful,
      edit_measured = a.edit_measured + excluded.edit_measured,
      edit_unchanged = a.edit_unchanged + excluded.edit_unchanged,
      edit_up_to_10 = a.edit_up_to_10 + excluded.edit_up_to_10,
      edit_up_to_25 = a.edit_up_to_25 + excluded.edit_up_to_25,
      edit_up_to_50 = a.edit_up_to_50 + excluded.edit_up_to_50,
      edit_up_to_75 = a.edit_up_to_75 + excluded.edit_up_to_75,
      edit_over_75 = a.edit_over_75 + excluded.edit_over_75,
      edit_ratio_sum = a.edit_ratio_sum + excluded.edit_ratio_sum
  $q$, source)
$fn$;
--> statement-breakpoint

-- The same for training examples. `source` yields sign, status and the example's key: its
-- replay's day/topic/model/agent, or the example's own day with no topic/model/agent when it has
-- no replay.
CREATE OR REPLACE FUNCTION analytics_example_delta_sql(source text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT format($q$
    INSERT INTO analytics_daily AS a (day, topic, model, agent_id, examples, examples_ready)
    SELECT c.day, c.topic, c.model, c.agent_id,
      sum(c.sign),
      coalesce(sum(c.sign) FILTER (WHERE c.status = 'ready'), 0)
    FROM (
      SELECT e.sign, e.status,
        CASE WHEN r.id IS NULL THEN (e.created_at AT TIME ZONE 'UTC')::date ELSE (r.created_at AT TIME ZONE 'UTC')::date END AS day,
        r.topic, r.model, r.agent_id
      FROM (%s) e LEFT JOIN feedback_replay_log r ON r.id = e.replay_id
    ) c
    GROUP BY 1, 2, 3, 4
    ORDER BY 1, 2, 3, 4
    ON CONFLICT ON CONSTRAINT analytics_daily_key DO UPDATE SET
      examples = a.examples + excluded.examples,
      examples_ready = a.examples_ready + excluded.examples_ready
  $q$, source)
$fn$;
--> statement-breakpoint

-- Transition tables are visible to EXECUTE in the trigger function itself (not in functions it
-- calls), hence the SQL text helpers above. An UPDATE counts only rows whose counted columns changed.
CREATE OR REPLACE FUNCTION analytics_track_replays() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  cols constant text := 'created_at, topic, model, agent_id, status, feedback, edit_ratio';
BEGIN
  IF TG_OP = 'INSERT' THEN
    EXECUTE analytics_replay_delta_sql(format('SELECT 1 AS sign, %s FROM new_rows', cols));
  ELSIF TG_OP = 'DELETE' THEN
    EXECUTE analytics_replay_delta_sql(format('SELECT -1 AS sign, %s FROM old_rows', cols));
  ELSE
    EXECUTE analytics_replay_delta_sql(
      'SELECT 1 AS sign, n.created_at, n.topic, n.model, n.agent_id, n.status, n.feedback, n.edit_ratio
       FROM new_rows n JOIN old_rows o ON o.id = n.id
       WHERE (n.created_at, n.topic, n.model, n.agent_id, n.status, n.feedback, n.edit_ratio)
             IS DISTINCT FROM (o.created_at, o.topic, o.model, o.agent_id, o.status, o.feedback, o.edit_ratio)
       UNION ALL
       SELECT -1, o.created_at, o.topic, o.model, o.agent_id, o.status, o.feedback, o.edit_ratio
       FROM new_rows n JOIN old_rows o ON o.id = n.id
       WHERE (n.created_at, n.topic, n.model, n.agent_id, n.status, n.feedback, n.edit_ratio)
             IS DISTINCT FROM (o.created_at, o.topic, o.model, o.agent_id, o.status, o.feedback, o.edit_ratio)');
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION analytics_track_examples() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    EXECUTE analytics_example_delta_sql('SELECT 1 AS sign, status, created_at, replay_id FROM new_rows');
  ELSIF TG_OP = 'DELETE' THEN
    EXECUTE analytics_example_delta_sql('SELECT -1 AS sign, status, created_at, replay_id FROM old_rows');
  ELSE
    EXECUTE analytics_example_delta_sql(
      'SELECT 1 AS sign, n.status, n.created_at, n.replay_id
       FROM new_rows n JOIN old_rows o ON o.id = n.id
       WHERE (n.status, n.created_at, n.replay_id) IS DISTINCT FROM (o.status, o.created_at, o.replay_id)
       UNION ALL
       SELECT -1, o.status, o.created_at, o.replay_id
       FROM new_rows n JOIN old_rows o ON o.id = n.id
       WHERE (n.status, n.created_at, n.replay_id) IS DISTINCT FROM (o.status, o.created_at, o.replay_id)');
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint

-- A deleted replay's examples stay (replay_id becomes NULL), and from then on count under their
-- own day with no topic/model/agent. Moved here, while the replay is still visible: the
-- training_log update that follows (replay_id -> NULL) then nets to zero.
CREATE OR REPLACE FUNCTION analytics_detach_examples() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM training_log WHERE replay_id = OLD.id) THEN
    EXECUTE analytics_example_delta_sql(format(
      'SELECT -1 AS sign, status, created_at, replay_id FROM training_log WHERE replay_id = %L
       UNION ALL
       SELECT 1, status, created_at, NULL::uuid FROM training_log WHERE replay_id = %L', OLD.id, OLD.id));
  END IF;
  RETURN OLD;
END
$$;
--> statement-breakpoint

-- Recomputes the whole rollup from the base tables. SHARE locks let readers on but make writers
-- wait until the rebuild commits, so no write is counted twice or lost.
CREATE OR REPLACE FUNCTION analytics_rebuild() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE feedback_replay_log, training_log IN SHARE MODE;
  DELETE FROM analytics_daily;
  EXECUTE analytics_replay_delta_sql(
    'SELECT 1 AS sign, created_at, topic, model, agent_id, status, feedback, edit_ratio FROM feedback_replay_log');
  EXECUTE analytics_example_delta_sql('SELECT 1 AS sign, status, created_at, replay_id FROM training_log');
END
$$;
--> statement-breakpoint

-- Existing rows: measure edits (the BEFORE trigger runs on this update), then build the rollup,
-- then start tracking.
UPDATE feedback_replay_log SET agent_reply = agent_reply WHERE agent_reply IS NOT NULL;
--> statement-breakpoint
SELECT analytics_rebuild();
--> statement-breakpoint

CREATE TRIGGER feedback_replay_log_analytics_insert AFTER INSERT ON feedback_replay_log
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_track_replays();
--> statement-breakpoint
CREATE TRIGGER feedback_replay_log_analytics_update AFTER UPDATE ON feedback_replay_log
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_track_replays();
--> statement-breakpoint
CREATE TRIGGER feedback_replay_log_analytics_delete AFTER DELETE ON feedback_replay_log
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_track_replays();
--> statement-breakpoint
CREATE TRIGGER feedback_replay_log_analytics_detach BEFORE DELETE ON feedback_replay_log
FOR EACH ROW EXECUTE FUNCTION analytics_detach_examples();
--> statement-breakpoint
CREATE TRIGGER training_log_analytics_insert AFTER INSERT ON training_log
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_track_examples();
--> statement-breakpoint
CREATE TRIGGER training_log_analytics_update AFTER UPDATE ON training_log
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_track_examples();
--> statement-breakpoint
CREATE TRIGGER training_log_analytics_delete AFTER DELETE ON training_log
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_track_examples();
