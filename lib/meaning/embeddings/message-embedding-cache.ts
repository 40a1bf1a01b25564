import "server-only";
import { getPool } from "@/lib/db/client";
import type { EmbeddingSpace } from "@/lib/meaning/embeddings/message-vectors";

// `embedding::real[]` reads pgvector's vector and real[] alike; array_send is its binary form
// (header, then per element a 4-byte length and a big-endian float4), a quarter of the text's size.
const READ_SQL = `
SELECT text_hash, array_send(embedding::real[]) AS bytes FROM message_embeddings
WHERE model = $1 AND dimensions = $2 AND text_hash = ANY($3::text[])`;

// real[] is cast to vector on assignment where the column is pgvector's.
const WRITE_SQL = `
INSERT INTO message_embeddings (model, dimensions, text_hash, embedding)
SELECT $1, $2, h, string_to_array(e, ',')::real[] FROM unnest($3::text[], $4::text[]) AS v(h, e)
ON CONFLICT DO NOTHING`;

/** Decodes array_send of a one-dimensional real[] (no nulls). */
function decodeArray(bytes: Buffer): Float32Array | null {
  if (bytes.length < 12) return null;
  const dims = bytes.readInt32BE(0);
  if (dims !== 1 || bytes.length < 20) return null;
  const length = bytes.readInt32BE(12);
  if (bytes.length !== 20 + length * 8) return null;
  const vector = new Float32Array(length);
  for (let i = 0, at = 20; i < length; i++, at += 8) vector[i] = bytes.readFloatBE(at + 4);
  return vector;
}

/** The cached vectors of these text hashes in `space` (hash → vector); never a transaction. */
export async function readCachedEmbeddings(space: EmbeddingSpace, hashes: string[]): Promise<Map<string, Float32Array>> {
  const found = new Map<string, Float32Array>();
  if (hashes.length === 0) return found;
  const { rows } = await getPool().query<{ text_hash: string; bytes: Buffer }>(READ_SQL, [space.model, space.dimensions, hashes]);
  for (const row of rows) {
    const vector = decodeArray(row.bytes);
    if (vector) found.set(row.text_hash, vector);
  }
  return found;
}

/** Stores fetched vectors (a text embedded twice at once keeps the first). */
export async function writeCachedEmbeddings(space: EmbeddingSpace, vectors: Map<string, Float32Array>): Promise<void> {
  if (vectors.size === 0) return;
  const hashes = [...vectors.keys()];
  const values = hashes.map((h) => Array.prototype.join.call(vectors.get(h)!, ","));
  await getPool().query(WRITE_SQL, [space.model, space.dimensions, hashes, values]);
}
