CREATE TABLE "replay_reservations" (
	"replay_id" uuid PRIMARY KEY NOT NULL,
	"agent_id" uuid NOT NULL,
	"reserved_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "replay_reservations" ADD CONSTRAINT "replay_reservations_replay_id_feedback_replay_log_id_fk" FOREIGN KEY ("replay_id") REFERENCES "public"."feedback_replay_log"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "replay_reservations" ADD CONSTRAINT "replay_reservations_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "replay_reservations_agent_idx" ON "replay_reservations" USING btree ("agent_id");--> statement-breakpoint
-- Push to open queues (issue 12): any statement that adds, closes or removes replays, or takes or
-- lets go of a reservation, sends one NOTIFY on "replay_queue" (statement-level, so a bulk insert
-- is one notification; identical payloads in one transaction are folded by PostgreSQL). The payload
-- names only what changed, never a replay's text: listeners fetch the queue as the signed-in agent.
CREATE OR REPLACE FUNCTION notify_replay_queue() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('replay_queue', TG_ARGV[0]);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER feedback_replay_log_notify_queue
  AFTER INSERT OR DELETE OR UPDATE OF status ON feedback_replay_log
  FOR EACH STATEMENT EXECUTE FUNCTION notify_replay_queue('replays');
--> statement-breakpoint
CREATE TRIGGER replay_reservations_notify_queue
  AFTER INSERT OR DELETE ON replay_reservations
  FOR EACH STATEMENT EXECUTE FUNCTION notify_replay_queue('reservations');
--> statement-breakpoint
-- A renewal (same agent, later expiry) changes nothing another agent sees: only a new holder notifies.
CREATE TRIGGER replay_reservations_notify_holder
  AFTER UPDATE ON replay_reservations
  FOR EACH ROW WHEN (OLD.agent_id IS DISTINCT FROM NEW.agent_id) EXECUTE FUNCTION notify_replay_queue('reservations');
