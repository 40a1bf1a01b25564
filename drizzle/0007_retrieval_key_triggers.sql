-- Retrieval keys by row-level triggers filtered with WHEN (evaluated in C before any PL/pgSQL
-- runs). The statement-level triggers of 0005 built a transition table of every inserted or
-- updated row of feedback_replay_log and training_log, and ran a query over it, on every statement:
-- costly for the helpdesk's single-row inserts and for updates that never change a key (status,
-- review). Now a row adds its key only when it can be retrieved: a training example when it is
-- written or its prompt changes; a replay when it is or becomes "useful", or its message changes.
DROP TRIGGER IF EXISTS training_log_keys_insert ON training_log;--> statement-breakpoint
DROP TRIGGER IF EXISTS training_log_keys_update ON training_log;--> statement-breakpoint
DROP TRIGGER IF EXISTS feedback_replay_log_keys_insert ON feedback_replay_log;--> statement-breakpoint
DROP TRIGGER IF EXISTS feedback_replay_log_keys_update ON feedback_replay_log;--> statement-breakpoint
DROP FUNCTION IF EXISTS remember_training_keys();--> statement-breakpoint
DROP FUNCTION IF EXISTS remember_replay_keys();--> statement-breakpoint
CREATE FUNCTION remember_training_key() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE k text := retrieval_key(NEW.prompt);
BEGIN
  IF k <> '' THEN INSERT INTO retrieval_keys (key) VALUES (k) ON CONFLICT DO NOTHING; END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER training_log_key_insert AFTER INSERT ON training_log
  FOR EACH ROW EXECUTE FUNCTION remember_training_key();--> statement-breakpoint
CREATE TRIGGER training_log_key_update AFTER UPDATE OF prompt ON training_log
  FOR EACH ROW WHEN (OLD.prompt IS DISTINCT FROM NEW.prompt) EXECUTE FUNCTION remember_training_key();--> statement-breakpoint
CREATE FUNCTION remember_replay_key() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE k text := retrieval_key(NEW.message);
BEGIN
  IF k <> '' THEN INSERT INTO retrieval_keys (key) VALUES (k) ON CONFLICT DO NOTHING; END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER feedback_replay_log_key_insert AFTER INSERT ON feedback_replay_log
  FOR EACH ROW WHEN (NEW.feedback = 'yes') EXECUTE FUNCTION remember_replay_key();--> statement-breakpoint
CREATE TRIGGER feedback_replay_log_key_update AFTER UPDATE OF message, feedback ON feedback_replay_log
  FOR EACH ROW WHEN (NEW.feedback = 'yes' AND (OLD.feedback IS DISTINCT FROM NEW.feedback OR OLD.message IS DISTINCT FROM NEW.message))
  EXECUTE FUNCTION remember_replay_key();
