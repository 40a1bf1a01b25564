CREATE TYPE "public"."training_example_status" AS ENUM('needs_completion', 'ready');--> statement-breakpoint
CREATE TYPE "public"."feedback" AS ENUM('yes', 'no');--> statement-breakpoint
CREATE TYPE "public"."replay_status" AS ENUM('pending', 'submitted');--> statement-breakpoint
CREATE TYPE "public"."user_role" AS ENUM('agent', 'manager', 'admin');--> statement-breakpoint
CREATE TABLE "api_idempotency_keys" (
	"api_key_id" uuid NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"replay_id" uuid,
	"response" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_idempotency_keys_api_key_id_key_pk" PRIMARY KEY("api_key_id","key")
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"key_hash" text NOT NULL,
	"scopes" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_keys_prefix_unique" UNIQUE("prefix"),
	CONSTRAINT "api_keys_key_hash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "feedback_replay_log" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"message" text NOT NULL,
	"ai_reply" text NOT NULL,
	"agent_reply" text,
	"feedback" "feedback",
	"created_at" timestamp with time zone DEFAULT now(),
	"status" "replay_status" DEFAULT 'pending' NOT NULL,
	"ticket_id" text,
	"topic" text,
	"model" text DEFAULT 'unknown' NOT NULL,
	"source" text DEFAULT 'api' NOT NULL,
	"prompt_hash" text NOT NULL,
	"agent_id" uuid,
	"agent_email" text,
	"submission_id" uuid,
	"submitted_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "training_log" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"prompt" text NOT NULL,
	"completion" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now(),
	"status" "training_example_status" DEFAULT 'ready' NOT NULL,
	"replay_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"role" "user_role" DEFAULT 'agent' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_sign_in_at" timestamp with time zone,
	CONSTRAINT "users_email_unique" UNIQUE("email")
);
--> statement-breakpoint
ALTER TABLE "api_idempotency_keys" ADD CONSTRAINT "api_idempotency_keys_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_idempotency_keys" ADD CONSTRAINT "api_idempotency_keys_replay_id_feedback_replay_log_id_fk" FOREIGN KEY ("replay_id") REFERENCES "public"."feedback_replay_log"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_replay_log" ADD CONSTRAINT "feedback_replay_log_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_log" ADD CONSTRAINT "training_log_replay_id_feedback_replay_log_id_fk" FOREIGN KEY ("replay_id") REFERENCES "public"."feedback_replay_log"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "feedback_replay_log_queue_idx" ON "feedback_replay_log" USING btree ("created_at","id") WHERE "feedback_replay_log"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "feedback_replay_log_prompt_feedback_idx" ON "feedback_replay_log" USING btree ("prompt_hash","feedback");--> statement-breakpoint
CREATE INDEX "feedback_replay_log_ticket_idx" ON "feedback_replay_log" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "feedback_replay_log_topic_idx" ON "feedback_replay_log" USING btree ("topic","created_at");--> statement-breakpoint
CREATE INDEX "feedback_replay_log_agent_idx" ON "feedback_replay_log" USING btree ("agent_id","submitted_at");--> statement-breakpoint
CREATE UNIQUE INDEX "training_log_replay_idx" ON "training_log" USING btree ("replay_id");--> statement-breakpoint
CREATE INDEX "training_log_status_idx" ON "training_log" USING btree ("status","created_at");