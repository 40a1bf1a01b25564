-- The nearest-key search moved from a GiST trigram KNN scan (which visited every page of the index
-- once keys were varied: ~45 ms at 80,000 keys) to an in-memory trigram index in each app process
-- (lib/ai/find-nearest-keys.ts). added_xact (the inserting transaction's id) lets a process fetch
-- only the keys added since it last looked; the GiST index is no longer read, and no longer
-- slows down the inserts of new keys.
DROP INDEX "retrieval_keys_trgm_idx";--> statement-breakpoint
ALTER TABLE "retrieval_keys" ADD COLUMN "added_xact" bigint DEFAULT (pg_current_xact_id()::text)::bigint NOT NULL;--> statement-breakpoint
CREATE INDEX "retrieval_keys_added_idx" ON "retrieval_keys" USING btree ("added_xact");