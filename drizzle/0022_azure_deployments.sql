ALTER TYPE "public"."retrain_run_status" ADD VALUE 'deploying' BEFORE 'evaluating';--> statement-breakpoint
ALTER TYPE "public"."retrain_run_status" ADD VALUE 'awaiting_deployment' BEFORE 'evaluating';--> statement-breakpoint
ALTER TABLE "retrain_runs" ADD COLUMN "deployment_name" text;
