-- pg_trgm (a trusted extension since PostgreSQL 13: a database owner may create it) powers the
-- similarity grouping of prompts and the near-duplicate checks of the training pipeline.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE TYPE "public"."dataset_source" AS ENUM('approved', 'worst-prompts');--> statement-breakpoint
CREATE TYPE "public"."dataset_split" AS ENUM('all', 'train', 'validation');--> statement-breakpoint
CREATE TYPE "public"."dataset_status" AS ENUM('writing', 'complete', 'aborted');--> statement-breakpoint
CREATE TYPE "public"."example_split" AS ENUM('train', 'validation');--> statement-breakpoint
CREATE TYPE "public"."training_review_decision" AS ENUM('approved', 'rejected', 'edited', 'merged', 'reopened');--> statement-breakpoint
CREATE TYPE "public"."training_review_status" AS ENUM('pending', 'approved', 'rejected', 'merged');--> statement-breakpoint
CREATE TABLE "dataset_examples" (
	"dataset_id" uuid NOT NULL,
	"ordinal" integer NOT NULL,
	"example_id" uuid NOT NULL,
	"split" "example_split" NOT NULL,
	CONSTRAINT "dataset_examples_dataset_id_ordinal_pk" PRIMARY KEY("dataset_id","ordinal")
);
--> statement-breakpoint
CREATE TABLE "datasets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source" "dataset_source" NOT NULL,
	"split" "dataset_split" DEFAULT 'all' NOT NULL,
	"status" "dataset_status" DEFAULT 'writing' NOT NULL,
	"created_via" text NOT NULL,
	"created_by" uuid,
	"api_key_id" uuid,
	"settings" jsonb NOT NULL,
	"example_count" integer DEFAULT 0 NOT NULL,
	"train_count" integer DEFAULT 0 NOT NULL,
	"validation_count" integer DEFAULT 0 NOT NULL,
	"dropped" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"validation" jsonb,
	"sha256" text,
	"bytes" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "prompt_groups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"representative" text NOT NULL,
	"normalized" text NOT NULL,
	"prompt_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "training_reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"example_id" uuid NOT NULL,
	"reviewer_id" uuid,
	"decision" "training_review_decision" NOT NULL,
	"completion" text,
	"duplicate_of" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "feedback_replay_log" ADD COLUMN "customer_name" text;--> statement-breakpoint
ALTER TABLE "feedback_replay_log" ADD COLUMN "prompt_group_id" uuid;--> statement-breakpoint
ALTER TABLE "training_log" ADD COLUMN "review_status" "training_review_status" DEFAULT 'pending' NOT NULL;--> statement-breakpoint
ALTER TABLE "training_log" ADD COLUMN "reviewed_by" uuid;--> statement-breakpoint
ALTER TABLE "training_log" ADD COLUMN "reviewed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "training_log" ADD COLUMN "original_completion" text;--> statement-breakpoint
ALTER TABLE "training_log" ADD COLUMN "duplicate_of" uuid;--> statement-breakpoint
ALTER TABLE "training_log" ADD COLUMN "clean_prompt" text;--> statement-breakpoint
ALTER TABLE "training_log" ADD COLUMN "clean_completion" text;--> statement-breakpoint
ALTER TABLE "training_log" ADD COLUMN "redactions" jsonb;--> statement-breakpoint
ALTER TABLE "training_log" ADD COLUMN "token_count" integer;--> statement-breakpoint
ALTER TABLE "training_log" ADD COLUMN "dedupe_key" text;--> statement-breakpoint
ALTER TABLE "training_log" ADD COLUMN "prepared_with" text;--> statement-breakpoint
ALTER TABLE "training_log" ADD COLUMN "prompt_group_id" uuid;--> statement-breakpoint
ALTER TABLE "datasets" ADD CONSTRAINT "datasets_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "datasets" ADD CONSTRAINT "datasets_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_reviews" ADD CONSTRAINT "training_reviews_example_id_training_log_id_fk" FOREIGN KEY ("example_id") REFERENCES "public"."training_log"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_reviews" ADD CONSTRAINT "training_reviews_reviewer_id_users_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dataset_examples_example_idx" ON "dataset_examples" USING btree ("example_id");--> statement-breakpoint
CREATE INDEX "datasets_created_idx" ON "datasets" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "prompt_groups_prompt_hash_idx" ON "prompt_groups" USING btree ("prompt_hash");--> statement-breakpoint
CREATE INDEX "prompt_groups_normalized_trgm_idx" ON "prompt_groups" USING gist ("normalized" gist_trgm_ops);--> statement-breakpoint
CREATE INDEX "training_reviews_example_idx" ON "training_reviews" USING btree ("example_id","created_at");--> statement-breakpoint
ALTER TABLE "feedback_replay_log" ADD CONSTRAINT "feedback_replay_log_prompt_group_id_prompt_groups_id_fk" FOREIGN KEY ("prompt_group_id") REFERENCES "public"."prompt_groups"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_log" ADD CONSTRAINT "training_log_reviewed_by_users_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_log" ADD CONSTRAINT "training_log_duplicate_of_training_log_id_fk" FOREIGN KEY ("duplicate_of") REFERENCES "public"."training_log"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "feedback_replay_log_group_feedback_idx" ON "feedback_replay_log" USING btree ("prompt_group_id","feedback","created_at");--> statement-breakpoint
CREATE INDEX "feedback_replay_log_ungrouped_idx" ON "feedback_replay_log" USING btree ("id") WHERE "feedback_replay_log"."prompt_group_id" IS NULL;--> statement-breakpoint
CREATE INDEX "training_log_review_idx" ON "training_log" USING btree ("review_status","created_at","id");--> statement-breakpoint
CREATE INDEX "training_log_group_idx" ON "training_log" USING btree ("prompt_group_id","created_at","id");