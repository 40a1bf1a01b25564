-- AI engine (issue 4). Hand-written parts before and after the generated DDL: the pg_trgm
-- extension, the retrieval key function, its expression indexes and the triggers.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
-- Stemmed English content words, sorted and deduplicated, without numbers, emails, links and
-- greetings: "Hi, where is my refund for order #123?" and "refund for order 456 - where is it"
-- share the key "order refund". Changing it needs a new function name and reindex.
CREATE OR REPLACE FUNCTION retrieval_key(message text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT array_to_string(tsvector_to_array(ts_delete(
    to_tsvector('english'::regconfig,
      regexp_replace(regexp_replace(left(message, 4000), '\S+@\S+|https?://\S+', ' ', 'g'), '[0-9]+', ' ', 'g')),
    ARRAY['hi', 'hello', 'hey', 'dear', 'thank', 'thx', 'pleas', 'help', 'regard', 'cheer', 'team',
          'morn', 'afternoon', 'urgent', 'asap', 'ok', 'okay'])), ' ')
$$;--> statement-breakpoint
CREATE TYPE "public"."failure_analysis_status" AS ENUM('pending', 'running', 'done', 'failed');--> statement-breakpoint
CREATE TYPE "public"."failure_category" AS ENUM('wrong_facts', 'missed_question', 'missing_action', 'wrong_tone', 'too_generic', 'policy_problem', 'hallucinated_detail', 'other');--> statement-breakpoint
CREATE TYPE "public"."model_provider" AS ENUM('local', 'openai');--> statement-breakpoint
CREATE TABLE "failure_analyses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"replay_id" uuid NOT NULL,
	"status" "failure_analysis_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"category" "failure_category",
	"explanation" text,
	"suggested_fix" text,
	"provider" text,
	"model" text,
	"agent_category" "failure_category",
	"agent_category_by" uuid,
	"agent_category_at" timestamp with time zone,
	"claimed_at" timestamp with time zone,
	"analyzed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "failure_analyses_replay_id_unique" UNIQUE("replay_id")
);
--> statement-breakpoint
CREATE TABLE "model_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"provider" "model_provider" NOT NULL,
	"name" text NOT NULL,
	"version" text NOT NULL,
	"is_active" boolean DEFAULT false NOT NULL,
	"activated_by" text,
	"activated_by_user_id" uuid,
	"notes" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"promoted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "retrieval_keys" (
	"key" text PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "feedback_replay_log" ADD COLUMN "model_version_id" uuid;--> statement-breakpoint
ALTER TABLE "failure_analyses" ADD CONSTRAINT "failure_analyses_replay_id_feedback_replay_log_id_fk" FOREIGN KEY ("replay_id") REFERENCES "public"."feedback_replay_log"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "failure_analyses" ADD CONSTRAINT "failure_analyses_agent_category_by_users_id_fk" FOREIGN KEY ("agent_category_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_activated_by_user_id_users_id_fk" FOREIGN KEY ("activated_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "failure_analyses_open_idx" ON "failure_analyses" USING btree ("status","updated_at") WHERE "failure_analyses"."status" <> 'done';--> statement-breakpoint
CREATE UNIQUE INDEX "model_versions_name_idx" ON "model_versions" USING btree ("provider","name","version");--> statement-breakpoint
CREATE UNIQUE INDEX "model_versions_one_active_idx" ON "model_versions" USING btree ("is_active") WHERE "model_versions"."is_active";--> statement-breakpoint
CREATE INDEX "retrieval_keys_trgm_idx" ON "retrieval_keys" USING gist ("key" gist_trgm_ops(siglen=256));--> statement-breakpoint
ALTER TABLE "feedback_replay_log" ADD CONSTRAINT "feedback_replay_log_model_version_id_model_versions_id_fk" FOREIGN KEY ("model_version_id") REFERENCES "public"."model_versions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "feedback_replay_log_model_version_idx" ON "feedback_replay_log" USING btree ("model_version_id");--> statement-breakpoint
-- Retrieval: examples by key, newest first (the local model answers from the newest correction).
CREATE INDEX "training_log_retrieval_idx" ON "training_log" (retrieval_key("prompt"), "created_at");--> statement-breakpoint
CREATE INDEX "feedback_replay_log_retrieval_idx" ON "feedback_replay_log" (retrieval_key("message"), "submitted_at") WHERE "feedback" = 'yes';--> statement-breakpoint
-- /history: everyone's submitted replays, newest first (an agent's own use the agent index).
CREATE INDEX "feedback_replay_log_submitted_idx" ON "feedback_replay_log" ("submitted_at" DESC, "id" DESC) WHERE "status" = 'submitted';--> statement-breakpoint
-- Every new message the local model may answer from adds its key. Statement-level with transition
-- tables, so a bulk insert (seed, import, benchmark) computes the keys in one pass.
CREATE FUNCTION remember_training_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO retrieval_keys (key)
  SELECT DISTINCT k FROM (SELECT retrieval_key(prompt) AS k FROM changed) s WHERE k <> ''
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER training_log_keys_insert AFTER INSERT ON training_log
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION remember_training_keys();--> statement-breakpoint
CREATE TRIGGER training_log_keys_update AFTER UPDATE ON training_log
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION remember_training_keys();--> statement-breakpoint
CREATE FUNCTION remember_replay_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO retrieval_keys (key)
  SELECT DISTINCT k FROM (SELECT retrieval_key(message) AS k FROM changed WHERE feedback = 'yes') s WHERE k <> ''
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER feedback_replay_log_keys_insert AFTER INSERT ON feedback_replay_log
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION remember_replay_keys();--> statement-breakpoint
CREATE TRIGGER feedback_replay_log_keys_update AFTER UPDATE ON feedback_replay_log
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION remember_replay_keys();--> statement-breakpoint
-- Self-critique: every "not useful" gets a pending analysis in the same transaction as the
-- verdict, whoever writes it (agent submit, helpdesk API, import), so none is lost if the
-- process dies before it runs the analysis.
CREATE FUNCTION queue_failure_analysis() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO failure_analyses (replay_id) VALUES (NEW.id) ON CONFLICT (replay_id) DO NOTHING;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER feedback_replay_log_queue_analysis AFTER INSERT OR UPDATE OF feedback, status ON feedback_replay_log
  FOR EACH ROW WHEN (NEW.feedback = 'no' AND NEW.status = 'submitted') EXECUTE FUNCTION queue_failure_analysis();--> statement-breakpoint
-- Existing data: keys for what the local model may answer from, pending analyses for past misses.
INSERT INTO retrieval_keys (key)
SELECT k FROM (
  SELECT retrieval_key(prompt) AS k FROM training_log
  UNION SELECT retrieval_key(message) FROM feedback_replay_log WHERE feedback = 'yes'
) s WHERE k <> '' ON CONFLICT DO NOTHING;--> statement-breakpoint
INSERT INTO failure_analyses (replay_id)
SELECT id FROM feedback_replay_log WHERE feedback = 'no' AND status = 'submitted' ON CONFLICT (replay_id) DO NOTHING;
