CREATE TYPE "public"."evaluation_decision" AS ENUM('pending', 'promoted', 'discarded', 'rolled_back');--> statement-breakpoint
CREATE TYPE "public"."fine_tune_target" AS ENUM('openai', 'local', 'manual');--> statement-breakpoint
CREATE TYPE "public"."retrain_mode" AS ENUM('review', 'upload');--> statement-breakpoint
CREATE TYPE "public"."retrain_run_status" AS ENUM('running', 'held', 'uploading', 'training', 'evaluating', 'succeeded', 'failed', 'discarded', 'skipped');--> statement-breakpoint
CREATE TYPE "public"."retrain_trigger" AS ENUM('cron', 'cli', 'manager');--> statement-breakpoint
CREATE TABLE "model_evaluations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"run_id" uuid NOT NULL,
	"candidate_version_id" uuid NOT NULL,
	"baseline_version_id" uuid NOT NULL,
	"examples" integer NOT NULL,
	"candidate_score" double precision NOT NULL,
	"baseline_score" double precision NOT NULL,
	"pairwise_wins" integer,
	"pairwise_losses" integer,
	"pairwise_ties" integer,
	"winner" text NOT NULL,
	"report" jsonb NOT NULL,
	"decision" "evaluation_decision" DEFAULT 'pending' NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "retrain_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"iso_week" text NOT NULL,
	"status" "retrain_run_status" DEFAULT 'running' NOT NULL,
	"mode" "retrain_mode" NOT NULL,
	"target" "fine_tune_target" NOT NULL,
	"trigger" "retrain_trigger" NOT NULL,
	"dataset_id" uuid,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"training_file_id" text,
	"validation_file_id" text,
	"fine_tune_job_id" text,
	"fine_tuned_model" text,
	"candidate_model_version_id" uuid,
	"error" text,
	"attempts" integer DEFAULT 1 NOT NULL,
	"events" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"approved_by" uuid,
	"approved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "retrain_runs_iso_week_unique" UNIQUE("iso_week")
);
--> statement-breakpoint
ALTER TABLE "model_evaluations" ADD CONSTRAINT "model_evaluations_run_id_retrain_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."retrain_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_evaluations" ADD CONSTRAINT "model_evaluations_candidate_version_id_model_versions_id_fk" FOREIGN KEY ("candidate_version_id") REFERENCES "public"."model_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_evaluations" ADD CONSTRAINT "model_evaluations_baseline_version_id_model_versions_id_fk" FOREIGN KEY ("baseline_version_id") REFERENCES "public"."model_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_evaluations" ADD CONSTRAINT "model_evaluations_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retrain_runs" ADD CONSTRAINT "retrain_runs_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retrain_runs" ADD CONSTRAINT "retrain_runs_candidate_model_version_id_model_versions_id_fk" FOREIGN KEY ("candidate_model_version_id") REFERENCES "public"."model_versions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retrain_runs" ADD CONSTRAINT "retrain_runs_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "model_evaluations_run_idx" ON "model_evaluations" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "retrain_runs_created_idx" ON "retrain_runs" USING btree ("created_at");