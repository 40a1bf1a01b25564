CREATE TABLE "analytics_failures_daily" (
	"day" date,
	"topic" text,
	"model" text,
	"agent_id" uuid,
	"category" "failure_category",
	"analyses" bigint DEFAULT 0 NOT NULL,
	"rated" bigint DEFAULT 0 NOT NULL,
	"agreed" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_failures_daily_key" UNIQUE NULLS NOT DISTINCT("day","topic","model","agent_id","category")
);
--> statement-breakpoint
CREATE TABLE "analytics_reviews_daily" (
	"day" date,
	"topic" text,
	"model" text,
	"agent_id" uuid,
	"approved" bigint DEFAULT 0 NOT NULL,
	"rejected" bigint DEFAULT 0 NOT NULL,
	"merged" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_reviews_daily_key" UNIQUE NULLS NOT DISTINCT("day","topic","model","agent_id")
);
--> statement-breakpoint
CREATE INDEX "failure_analyses_done_idx" ON "failure_analyses" USING btree ("category","analyzed_at") WHERE "failure_analyses"."status" = 'done';--> statement-breakpoint

-- The dashboard's loop panels (issue 14): self-critiques and review decisions as daily rollups,
-- kept exact by statement-level triggers (one upsert per statement however many rows it wrote, as
-- in 0003). Each row counts under its replay's UTC day, topic, model and agent; an example without
-- a replay under its own day. The hot ingest path pays one trigger call per statement that exits at
-- once: a new analysis is pending and a new example is pending review, and neither is counted.

-- Adds (sign = 1) or subtracts (sign = -1) analyses: only done ones with a category count.
CREATE FUNCTION analytics_apply_failure_changes(sign int, changes failure_analyses[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO analytics_failures_daily AS a (day, topic, model, agent_id, category, analyses, rated, agreed)
  SELECT (r.created_at AT TIME ZONE 'UTC')::date, r.topic, r.model, r.agent_id, c.category,
    sign * count(*), sign * count(c.agent_category), sign * count(*) FILTER (WHERE c.agent_category = c.category)
  FROM unnest(changes) c JOIN feedback_replay_log r ON r.id = c.replay_id
  WHERE c.status = 'done' AND c.category IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5
  ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT ON CONSTRAINT analytics_failures_daily_key DO UPDATE SET
    analyses = a.analyses + excluded.analyses,
    rated = a.rated + excluded.rated,
    agreed = a.agreed + excluded.agreed;
END
$$;
--> statement-breakpoint
CREATE FUNCTION analytics_track_failure_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM new_rows WHERE status = 'done') THEN RETURN NULL; END IF;
  PERFORM analytics_apply_failure_changes(1, ARRAY(SELECT ROW(n.*)::failure_analyses FROM new_rows n WHERE n.status = 'done'));
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Only rows whose counted columns changed: claiming (pending → running) and retries cost nothing.
CREATE FUNCTION analytics_track_failure_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE (n.status = 'done' OR o.status = 'done')
      AND (n.status, n.category, n.agent_category) IS DISTINCT FROM (o.status, o.category, o.agent_category)
  ) THEN RETURN NULL; END IF;
  PERFORM analytics_apply_failure_changes(-1, ARRAY(
    SELECT ROW(o.*)::failure_analyses FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE o.status = 'done' AND (n.status, n.category, n.agent_category) IS DISTINCT FROM (o.status, o.category, o.agent_category)));
  PERFORM analytics_apply_failure_changes(1, ARRAY(
    SELECT ROW(n.*)::failure_analyses FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE n.status = 'done' AND (n.status, n.category, n.agent_category) IS DISTINCT FROM (o.status, o.category, o.agent_category)));
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- A deleted replay cascades to its analysis after the replay row is gone: such rows no longer join
-- and are subtracted by analytics_rebuild_loop() only (the same rule as a hand-edited replay day).
CREATE FUNCTION analytics_track_failure_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM old_rows WHERE status = 'done') THEN RETURN NULL; END IF;
  PERFORM analytics_apply_failure_changes(-1, ARRAY(SELECT ROW(o.*)::failure_analyses FROM old_rows o WHERE o.status = 'done'));
  RETURN NULL;
END
$$;
--> statement-breakpoint

CREATE FUNCTION analytics_apply_review_changes(sign int, changes training_log[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO analytics_reviews_daily AS a (day, topic, model, agent_id, approved, rejected, merged)
  SELECT (CASE WHEN r.id IS NULL THEN c.created_at ELSE r.created_at END AT TIME ZONE 'UTC')::date, r.topic, r.model, r.agent_id,
    sign * count(*) FILTER (WHERE c.review_status = 'approved'),
    sign * count(*) FILTER (WHERE c.review_status = 'rejected'),
    sign * count(*) FILTER (WHERE c.review_status = 'merged')
  FROM unnest(changes) c LEFT JOIN feedback_replay_log r ON r.id = c.replay_id
  WHERE c.review_status <> 'pending'
  GROUP BY 1, 2, 3, 4
  ORDER BY 1, 2, 3, 4
  ON CONFLICT ON CONSTRAINT analytics_reviews_daily_key DO UPDATE SET
    approved = a.approved + excluded.approved,
    rejected = a.rejected + excluded.rejected,
    merged = a.merged + excluded.merged;
END
$$;
--> statement-breakpoint
CREATE FUNCTION analytics_track_review_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM new_rows WHERE review_status <> 'pending') THEN RETURN NULL; END IF;
  PERFORM analytics_apply_review_changes(1, ARRAY(SELECT ROW(n.*)::training_log FROM new_rows n WHERE n.review_status <> 'pending'));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION analytics_track_review_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.review_status <> o.review_status) THEN RETURN NULL; END IF;
  PERFORM analytics_apply_review_changes(-1, ARRAY(
    SELECT ROW(o.*)::training_log FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE n.review_status <> o.review_status AND o.review_status <> 'pending'));
  PERFORM analytics_apply_review_changes(1, ARRAY(
    SELECT ROW(n.*)::training_log FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.review_status <> o.review_status AND n.review_status <> 'pending'));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION analytics_track_review_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM old_rows WHERE review_status <> 'pending') THEN RETURN NULL; END IF;
  PERFORM analytics_apply_review_changes(-1, ARRAY(SELECT ROW(o.*)::training_log FROM old_rows o WHERE o.review_status <> 'pending'));
  RETURN NULL;
END
$$;
--> statement-breakpoint

-- Recomputes both loop rollups from the base tables (called by `npm run cli -- analytics-rebuild`).
CREATE FUNCTION analytics_rebuild_loop() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE failure_analyses, training_log IN SHARE MODE;
  DELETE FROM analytics_failures_daily;
  DELETE FROM analytics_reviews_daily;
  PERFORM analytics_apply_failure_changes(1, ARRAY(SELECT f FROM failure_analyses f WHERE f.status = 'done'));
  PERFORM analytics_apply_review_changes(1, ARRAY(SELECT t FROM training_log t WHERE t.review_status <> 'pending'));
END
$$;
--> statement-breakpoint
SELECT analytics_rebuild_loop();
--> statement-breakpoint

CREATE TRIGGER failure_analyses_analytics_insert AFTER INSERT ON failure_analyses
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_track_failure_insert();
--> statement-breakpoint
CREATE TRIGGER failure_analyses_analytics_update AFTER UPDATE ON failure_analyses
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_track_failure_update();
--> statement-breakpoint
CREATE TRIGGER failure_analyses_analytics_delete AFTER DELETE ON failure_analyses
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_track_failure_delete();
--> statement-breakpoint
CREATE TRIGGER training_log_reviews_insert AFTER INSERT ON training_log
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_track_review_insert();
--> statement-breakpoint
CREATE TRIGGER training_log_reviews_update AFTER UPDATE ON training_log
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_track_review_update();
--> statement-breakpoint
CREATE TRIGGER training_log_reviews_delete AFTER DELETE ON training_log
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_track_review_delete();
