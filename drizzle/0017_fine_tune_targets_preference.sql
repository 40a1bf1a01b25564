ALTER TYPE "public"."fine_tune_target" ADD VALUE 'together';--> statement-breakpoint
ALTER TYPE "public"."fine_tune_target" ADD VALUE 'fireworks';--> statement-breakpoint
ALTER TYPE "public"."fine_tune_target" ADD VALUE 'azure';--> statement-breakpoint
ALTER TYPE "public"."fine_tune_target" ADD VALUE 'openai-compatible';--> statement-breakpoint
ALTER TYPE "public"."model_provider" ADD VALUE 'together';--> statement-breakpoint
ALTER TYPE "public"."model_provider" ADD VALUE 'fireworks';--> statement-breakpoint
ALTER TYPE "public"."model_provider" ADD VALUE 'azure';--> statement-breakpoint
ALTER TYPE "public"."model_provider" ADD VALUE 'openai-compatible';--> statement-breakpoint
ALTER TABLE "datasets" ADD COLUMN "format" text DEFAULT 'sft' NOT NULL;--> statement-breakpoint
ALTER TABLE "retrain_runs" ADD COLUMN "method" text;--> statement-breakpoint
ALTER TABLE "retrain_runs" ADD COLUMN "stage" text;--> statement-breakpoint
ALTER TABLE "retrain_runs" ADD COLUMN "dpo_dataset_id" uuid;--> statement-breakpoint
ALTER TABLE "retrain_runs" ADD COLUMN "stages" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "training_log" ADD COLUMN "clean_rejected" text;--> statement-breakpoint
ALTER TABLE "retrain_runs" ADD CONSTRAINT "retrain_runs_dpo_dataset_id_datasets_id_fk" FOREIGN KEY ("dpo_dataset_id") REFERENCES "public"."datasets"("id") ON DELETE set null ON UPDATE no action;