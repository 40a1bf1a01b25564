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

-- A change to the rollup: +1 for a row as it is now, -1 for a row as it was.
CREATE TYPE analytics_replay_change AS (
  sign int, created_at timestamptz, topic text, model text, agent_id uuid,
  status replay_status, feedback feedback, edit_ratio real
);
--> statement-breakpoint
CREATE TYPE analytics_example_change AS (sign int, status training_example_status, created_at timestamptz, replay_id uuid);
--> statement-breakpoint

-- Adds replay changes to the rollup. Static SQL, so its plan is cached per connection; keys are
-- upserted in sorted order, so concurrent writers lock rollup rows in the same order.
CREATE OR REPLACE FUNCTION analytics_apply_replay_changes(changes analytics_replay_change[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
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
  FROM (SELECT u.*, (u.status = 'submitted' AND u.edit_ratio IS NOT NULL) AS measured FROM unnest(changes) u) c
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
    edit_ratio_sum = a.edit_ratio_sum + excluded.edit_ratio_sum;
END
$$;
--> statement-breakpoint

-- The same for training examples: an example counts under its replay's day/topic/model/agent, or
-- under its own day with no topic/model/agent when it has no replay.
CREATE OR REPLACE FUNCTION analytics_apply_example_changes(changes analytics_example_change[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO analytics_daily AS a (day, topic, model, agent_id, examples, examples_ready)
  SELECT c.day, c.topic, c.model, c.agent_id, sum(c.sign), coalesce(sum(c.sign) FILTER (WHERE c.status = 'ready'), 0)
  FROM (
    SELECT e.sign, e.status,
      (CASE WHEN r.id IS NULL THEN e.created_at ELSE r.created_at END AT TIME ZONE 'UTC')::date AS day,
      r.topic, r.model, r.agent_id
    FROM unnest(changes) e LEFT JOIN feedback_replay_log r ON r.id = e.replay_id
  ) c
  GROUP BY 1, 2, 3, 4
  ORDER BY 1, 2, 3, 4
  ON CONFLICT ON CONSTRAINT analytics_daily_key DO UPDATE SET
    examples = a.examples + excluded.examples,
    examples_ready = a.examples_ready + excluded.examples_ready;
END
$$;
--> statement-breakpoint

-- Statement-level triggers: one rollup upsert per statement, however many rows it wrote. An UPDATE
-- counts only rows whose counted columns changed (the agents' submit does; an updated_at bump does not).
CREATE OR REPLACE FUNCTION analytics_track_replay_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF; -- e.g. the 'no'-only example insert of a 'yes'
  PERFORM analytics_apply_replay_changes(ARRAY(
    SELECT ROW(1, created_at, topic, model, agent_id, status, feedback, edit_ratio)::analytics_replay_change FROM new_rows));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION analytics_track_replay_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF; -- e.g. the 'no'-only example insert of a 'yes'
  PERFORM analytics_apply_replay_changes(ARRAY(
    SELECT x FROM new_rows n JOIN old_rows o ON o.id = n.id,
      LATERAL (VALUES
        (ROW(1, n.created_at, n.topic, n.model, n.agent_id, n.status, n.feedback, n.edit_ratio)::analytics_replay_change),
        (ROW(-1, o.created_at, o.topic, o.model, o.agent_id, o.status, o.feedback, o.edit_ratio)::analytics_replay_change)
      ) v(x)
    WHERE (n.created_at, n.topic, n.model, n.agent_id, n.status, n.feedback, n.edit_ratio)
          IS DISTINCT FROM (o.created_at, o.topic, o.model, o.agent_id, o.status, o.feedback, o.edit_ratio)));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION analytics_track_replay_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM old_rows) THEN RETURN NULL; END IF; -- e.g. the 'no'-only example insert of a 'yes'
  PERFORM analytics_apply_replay_changes(ARRAY(
    SELECT ROW(-1, created_at, topic, model, agent_id, status, feedback, edit_ratio)::analytics_replay_change FROM old_rows));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION analytics_track_example_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF; -- e.g. the 'no'-only example insert of a 'yes'
  PERFORM analytics_apply_example_changes(ARRAY(
    SELECT ROW(1, status, created_at, replay_id)::analytics_example_change FROM new_rows));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION analytics_track_example_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF; -- e.g. the 'no'-only example insert of a 'yes'
  PERFORM analytics_apply_example_changes(ARRAY(
    SELECT x FROM new_rows n JOIN old_rows o ON o.id = n.id,
      LATERAL (VALUES
        (ROW(1, n.status, n.created_at, n.replay_id)::analytics_example_change),
        (ROW(-1, o.status, o.created_at, o.replay_id)::analytics_example_change)
      ) v(x)
    WHERE (n.status, n.created_at, n.replay_id) IS DISTINCT FROM (o.status, o.created_at, o.replay_id)));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION analytics_track_example_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM old_rows) THEN RETURN NULL; END IF; -- e.g. the 'no'-only example insert of a 'yes'
  PERFORM analytics_apply_example_changes(ARRAY(
    SELECT ROW(-1, status, created_at, replay_id)::analytics_example_change FROM old_rows));
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
  PERFORM analytics_apply_example_changes(ARRAY(
    SELECT x FROM training_log t,
      LATERAL (VALUES
        (ROW(-1, t.status, t.created_at, t.replay_id)::analytics_example_change),
        (ROW(1, t.status, t.created_at, NULL)::analytics_example_change)
      ) v(x)
    WHERE t.replay_id = OLD.id));
  RETURN OLD;
END
$$;
--> statement-breakpoint

-- Recomputes the whole rollup from the base tables, a week of replays at a time. SHARE locks let
-- readers on but make writers wait until the rebuild commits, so no write is counted twice or lost.
CREATE OR REPLACE FUNCTION analytics_rebuild() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  week timestamptz;
BEGIN
  LOCK TABLE feedback_replay_log, training_log IN SHARE MODE;
  DELETE FROM analytics_daily;
  FOR week IN
    SELECT generate_series(date_trunc('week', min(created_at)), max(created_at), interval '1 week') FROM feedback_replay_log
  LOOP
    PERFORM analytics_apply_replay_changes(ARRAY(
      SELECT ROW(1, created_at, topic, model, agent_id, status, feedback, edit_ratio)::analytics_replay_change
      FROM feedback_replay_log WHERE created_at >= week AND created_at < week + interval '1 week'));
    PERFORM analytics_apply_example_changes(ARRAY(
      SELECT ROW(1, t.status, t.created_at, t.replay_id)::analytics_example_change
      FROM training_log t JOIN feedback_replay_log r ON r.id = t.replay_id
      WHERE r.created_at >= week AND r.created_at < week + interval '1 week'));
  END LOOP;
  -- Rows outside any week: replays without created_at, examples without a replay.
  PERFORM analytics_apply_replay_changes(ARRAY(
    SELECT ROW(1, created_at, topic, model, agent_id, status, feedback, edit_ratio)::analytics_replay_change
    FROM feedback_replay_log WHERE created_at IS NULL));
  PERFORM analytics_apply_example_changes(ARRAY(
    SELECT ROW(1, t.status, t.created_at, t.replay_id)::analytics_example_change
    FROM training_log t LEFT JOIN feedback_replay_log r ON r.id = t.replay_id
    WHERE r.id IS NULL OR r.created_at IS NULL));
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
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_track_replay_insert();
--> statement-breakpoint
CREATE TRIGGER feedback_replay_log_analytics_update AFTER UPDATE ON feedback_replay_log
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_track_replay_update();
--> statement-breakpoint
CREATE TRIGGER feedback_replay_log_analytics_delete AFTER DELETE ON feedback_replay_log
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_track_replay_delete();
--> statement-breakpoint
CREATE TRIGGER feedback_replay_log_analytics_detach BEFORE DELETE ON feedback_replay_log
FOR EACH ROW EXECUTE FUNCTION analytics_detach_examples();
--> statement-breakpoint
CREATE TRIGGER training_log_analytics_insert AFTER INSERT ON training_log
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_track_example_insert();
--> statement-breakpoint
CREATE TRIGGER training_log_analytics_update AFTER UPDATE ON training_log
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_track_example_update();
--> statement-breakpoint
CREATE TRIGGER training_log_analytics_delete AFTER DELETE ON training_log
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_track_example_delete();
