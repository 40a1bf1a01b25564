CREATE TABLE "retrain_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"target" "fine_tune_target" NOT NULL,
	"method" text NOT NULL,
	"base_model" text,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "retrain_settings_one_row" CHECK ("id" = 1),
	CONSTRAINT "retrain_settings_method" CHECK ("method" IN ('sft', 'dpo', 'sft-dpo'))
);
--> statement-breakpoint
ALTER TABLE "retrain_settings" ADD CONSTRAINT "retrain_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
