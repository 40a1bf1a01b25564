-- The dashboard's worst prompts count "not useful" replays per prompt group: with the group in the
-- partial index, that count is an index-only scan instead of a scan of the whole table (about
-- 1 s at 1,000,000 replays, cold). Rebuilding the index holds writes to feedback_replay_log for
-- the seconds it takes (a few at 1,000,000 replays).
DROP INDEX IF EXISTS "feedback_replay_log_not_useful_idx";--> statement-breakpoint
CREATE INDEX "feedback_replay_log_not_useful_idx" ON "feedback_replay_log" USING btree ("created_at","prompt_hash","topic","model","agent_id","prompt_group_id") WHERE "feedback_replay_log"."feedback" = 'no';
