CREATE TABLE "analytics_daily" (
	"day" date,
	"topic" text,
	"model" text,
	"agent_id" uuid,
	"replays" bigint DEFAULT 0 NOT NULL,
	"pending" bigint DEFAULT 0 NOT NULL,
	"submitted" bigint DEFAULT 0 NOT NULL,
	"useful" bigint DEFAULT 0 NOT NULL,
	"not_useful" bigint DEFAULT 0 NOT NULL,
	"edit_measured" bigint DEFAULT 0 NOT NULL,
	"edit_unchanged" bigint DEFAULT 0 NOT NULL,
	"edit_up_to_10" bigint DEFAULT 0 NOT NULL,
	"edit_up_to_25" bigint DEFAULT 0 NOT NULL,
	"edit_up_to_50" bigint DEFAULT 0 NOT NULL,
	"edit_up_to_75" bigint DEFAULT 0 NOT NULL,
	"edit_over_75" bigint DEFAULT 0 NOT NULL,
	"edit_ratio_sum" double precision DEFAULT 0 NOT NULL,
	"examples" bigint DEFAULT 0 NOT NULL,
	"examples_ready" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_daily_key" UNIQUE NULLS NOT DISTINCT("day","topic","model","agent_id")
);
--> statement-breakpoint
ALTER TABLE "feedback_replay_log" ADD COLUMN "edit_distance" integer;--> statement-breakpoint
ALTER TABLE "feedback_replay_log" ADD COLUMN "edit_ratio" real;--> statement-breakpoint
CREATE INDEX "analytics_daily_model_day_idx" ON "analytics_daily" USING btree ("model","day");--> statement-breakpoint
CREATE INDEX "analytics_daily_topic_idx" ON "analytics_daily" USING btree ("topic");--> statement-breakpoint
CREATE INDEX "feedback_replay_log_not_useful_idx" ON "feedback_replay_log" USING btree ("created_at","prompt_hash","topic","model","agent_id") WHERE "feedback_replay_log"."feedback" = 'no';--> statement-breakpoint
CREATE INDEX "feedback_replay_log_not_useful_prompt_idx" ON "feedback_replay_log" USING btree ("prompt_hash","created_at") WHERE "feedback_replay_log"."feedback" = 'no';