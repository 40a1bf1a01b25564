CREATE TABLE "message_embeddings" (
	"model" text NOT NULL,
	"dimensions" integer NOT NULL,
	"text_hash" text NOT NULL,
	"embedding" real[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "message_embeddings_model_dimensions_text_hash_pk" PRIMARY KEY("model","dimensions","text_hash")
);

--> statement-breakpoint
-- pgvector where it can be had: the column becomes `vector` (no fixed size, since the table holds
-- every model's vectors). Without the extension, or without the right to create it, the column
-- stays real[]; the app reads `embedding::real[]` and writes real[] (pgvector casts it on
-- assignment), so both work the same. Nearest neighbours are computed in the app's memory.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') THEN
    BEGIN
      CREATE EXTENSION IF NOT EXISTS vector;
    EXCEPTION WHEN OTHERS THEN
      RAISE NOTICE 'pgvector is available but could not be created (%); message_embeddings uses real[]', SQLERRM;
    END;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') THEN
    ALTER TABLE message_embeddings ALTER COLUMN embedding TYPE vector USING embedding::vector;
  END IF;
END $$;
