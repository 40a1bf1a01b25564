CREATE TABLE "meaning_documents" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"generation" integer NOT NULL,
	"prompt_group_id" uuid NOT NULL,
	"replay_id" uuid,
	"kind" text NOT NULL,
	"text" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meaning_state" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"generation" integer DEFAULT 1 NOT NULL,
	"engine" text DEFAULT '' NOT NULL,
	"revision" integer DEFAULT 0 NOT NULL,
	"regrouping" integer,
	"regroup_done" integer DEFAULT 0 NOT NULL,
	"regroup_total" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "prompt_group_pins" (
	"prompt_hash" text PRIMARY KEY NOT NULL,
	"prompt_group_id" uuid NOT NULL,
	"pinned_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "meaning_documents" ADD CONSTRAINT "meaning_documents_prompt_group_id_prompt_groups_id_fk" FOREIGN KEY ("prompt_group_id") REFERENCES "public"."prompt_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prompt_group_pins" ADD CONSTRAINT "prompt_group_pins_prompt_group_id_prompt_groups_id_fk" FOREIGN KEY ("prompt_group_id") REFERENCES "public"."prompt_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prompt_group_pins" ADD CONSTRAINT "prompt_group_pins_pinned_by_users_id_fk" FOREIGN KEY ("pinned_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "meaning_documents_generation_idx" ON "meaning_documents" USING btree ("generation","id");--> statement-breakpoint
CREATE INDEX "meaning_documents_group_idx" ON "meaning_documents" USING btree ("prompt_group_id");--> statement-breakpoint
-- The meaning engine (lib/meaning/) replaces the lexical retrieval keys: its documents are written
-- by the grouping job, so the per-row key triggers, their expression indexes and the key table go.
DROP TRIGGER IF EXISTS training_log_key_insert ON training_log;--> statement-breakpoint
DROP TRIGGER IF EXISTS training_log_key_update ON training_log;--> statement-breakpoint
DROP TRIGGER IF EXISTS feedback_replay_log_key_insert ON feedback_replay_log;--> statement-breakpoint
DROP TRIGGER IF EXISTS feedback_replay_log_key_update ON feedback_replay_log;--> statement-breakpoint
DROP FUNCTION IF EXISTS remember_training_key();--> statement-breakpoint
DROP FUNCTION IF EXISTS remember_replay_key();--> statement-breakpoint
DROP INDEX IF EXISTS training_log_retrieval_idx;--> statement-breakpoint
DROP INDEX IF EXISTS feedback_replay_log_retrieval_idx;--> statement-breakpoint
DROP TABLE "retrieval_keys" CASCADE;--> statement-breakpoint
DROP FUNCTION IF EXISTS retrieval_key(text);--> statement-breakpoint
INSERT INTO meaning_state (id) VALUES (1) ON CONFLICT DO NOTHING;
