CREATE TABLE "model_artifacts" (
	"model_version_id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"format" integer NOT NULL,
	"params" jsonb NOT NULL,
	"weights" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "training_log" ADD COLUMN "split_key" uuid;--> statement-breakpoint
ALTER TABLE "model_artifacts" ADD CONSTRAINT "model_artifacts_model_version_id_model_versions_id_fk" FOREIGN KEY ("model_version_id") REFERENCES "public"."model_versions"("id") ON DELETE cascade ON UPDATE no action;