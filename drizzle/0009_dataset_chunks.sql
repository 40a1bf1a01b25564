-- Snapshot members in chunks (lib/training/create-member-writer.ts) instead of one row each:
-- recording a million members took ~4 s of a ~9 s export, the index on example_id included.
CREATE TABLE "dataset_chunks" (
	"dataset_id" uuid NOT NULL,
	"first_ordinal" integer NOT NULL,
	"example_ids" uuid[] NOT NULL,
	"validation" boolean[] NOT NULL,
	"oldest_created_at" timestamp with time zone NOT NULL,
	"newest_created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "dataset_chunks_dataset_id_first_ordinal_pk" PRIMARY KEY("dataset_id","first_ordinal")
);
--> statement-breakpoint
-- Random uuids do not compress: store the ids as they are (no compression attempt on write, and
-- a lineage lookup reads them without inflating).
ALTER TABLE "dataset_chunks" ALTER COLUMN "example_ids" SET STORAGE EXTERNAL;--> statement-breakpoint
-- Existing snapshots carried over as they were: the same members in the same order on the same
-- side, 10,000 to a chunk, so they download byte for byte as before. (Members of a dataset that
-- no longer exists are left behind; old exports numbered their members 1…n without gaps.) A
-- missing created_at counts as -infinity, here, in the export and in the lineage query.
INSERT INTO "dataset_chunks" ("dataset_id", "first_ordinal", "example_ids", "validation", "oldest_created_at", "newest_created_at")
SELECT de."dataset_id", min(de."ordinal"), array_agg(de."example_id" ORDER BY de."ordinal"), array_agg(de."split" = 'validation' ORDER BY de."ordinal"),
       min(coalesce(t."created_at", '-infinity')), max(coalesce(t."created_at", '-infinity'))
FROM "dataset_examples" de
JOIN "datasets" d ON d."id" = de."dataset_id"
LEFT JOIN "training_log" t ON t."id" = de."example_id"
GROUP BY de."dataset_id", (de."ordinal" - 1) / 10000;--> statement-breakpoint
DROP TABLE "dataset_examples" CASCADE;--> statement-breakpoint
ALTER TABLE "dataset_chunks" ADD CONSTRAINT "dataset_chunks_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "training_log_prepared_idx" ON "training_log" USING btree ("prepared_with");--> statement-breakpoint
DROP TYPE "public"."example_split";
