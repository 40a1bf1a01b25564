CREATE TABLE "helpdesk_events" (
	"source" text NOT NULL,
	"event_id" text NOT NULL,
	"kind" text NOT NULL,
	"conversation_id" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "helpdesk_events_source_event_id_pk" PRIMARY KEY("source","event_id")
);
--> statement-breakpoint
CREATE TABLE "helpdesk_exchanges" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source" text NOT NULL,
	"conversation_id" text NOT NULL,
	"message" text,
	"ai_draft" text,
	"agent_reply" text,
	"agent_email" text,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"explicit_feedback" "feedback",
	"replay_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "import_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"file_key" text NOT NULL,
	"file_name" text NOT NULL,
	"lines_done" bigint DEFAULT 0 NOT NULL,
	"bytes_done" bigint DEFAULT 0 NOT NULL,
	"imported" bigint DEFAULT 0 NOT NULL,
	"duplicates" bigint DEFAULT 0 NOT NULL,
	"failed" bigint DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"bad_lines" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "import_runs_file_key_unique" UNIQUE("file_key")
);
--> statement-breakpoint
CREATE TABLE "integration_status" (
	"source" text PRIMARY KEY NOT NULL,
	"last_event_at" timestamp with time zone,
	"last_event_kind" text,
	"events_total" bigint DEFAULT 0 NOT NULL,
	"last_refusal_at" timestamp with time zone,
	"last_refusal_reason" text,
	"refusals_total" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "feedback_replay_log" ADD COLUMN "feedback_inferred" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "feedback_replay_log" ADD COLUMN "import_key" text;--> statement-breakpoint
ALTER TABLE "helpdesk_exchanges" ADD CONSTRAINT "helpdesk_exchanges_replay_id_feedback_replay_log_id_fk" FOREIGN KEY ("replay_id") REFERENCES "public"."feedback_replay_log"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "helpdesk_exchanges_open_idx" ON "helpdesk_exchanges" USING btree ("source","conversation_id") WHERE "helpdesk_exchanges"."replay_id" IS NULL;--> statement-breakpoint
CREATE INDEX "helpdesk_exchanges_conversation_idx" ON "helpdesk_exchanges" USING btree ("source","conversation_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "feedback_replay_log_import_key_idx" ON "feedback_replay_log" USING btree ("import_key") WHERE "feedback_replay_log"."import_key" IS NOT NULL;--> statement-breakpoint
-- A history import measures each reply's edit itself, in the same way (measureEdit in
-- lib/integrations/infer-label.ts, tested against analytics_word_codes + levenshtein), because it
-- needs the measure for the inferred label anyway: the trigger's PL/pgSQL was ~45% of an import's
-- insert. Every other insert, and every update of a reply, is still measured here.
DROP TRIGGER feedback_replay_log_measure_edit ON feedback_replay_log;--> statement-breakpoint
CREATE TRIGGER feedback_replay_log_measure_edit
BEFORE INSERT ON feedback_replay_log
FOR EACH ROW WHEN (NEW.import_key IS NULL) EXECUTE FUNCTION analytics_measure_edit();--> statement-breakpoint
CREATE TRIGGER feedback_replay_log_measure_edit_update
BEFORE UPDATE OF ai_reply, agent_reply ON feedback_replay_log
FOR EACH ROW EXECUTE FUNCTION analytics_measure_edit();
