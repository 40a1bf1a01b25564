import "server-only";
import { createHash } from "node:crypto";
import { getPool } from "@/lib/db/client";
import { UserError } from "@/lib/errors";
import type { FeedbackReplayInput } from "@/lib/feedback/schemas";
import { storeFeedbackReplay, type StoredReplay } from "@/lib/feedback/storage";

/**
 * Stores a replay from the helpdesk API. With an Idempotency-Key, the key row is inserted in the
 * same transaction as the replay: a concurrent duplicate blocks on the primary key until the
 * first commits, then finds the first one's replay and returns the same body.
 */
export async function recordApiFeedback({
  apiKeyId,
  idempotencyKey,
  input,
}: {
  apiKeyId: string;
  idempotencyKey?: string | null;
  input: FeedbackReplayInput;
}): Promise<StoredReplay> {
  const replay = { ...input, source: "api" };
  if (!idempotencyKey) return storeFeedbackReplay(replay);

  const requestHash = createHash("sha256").update(JSON.stringify(input)).digest("hex");
  const client = await getPool().connect();
  try {
    await client.query("BEGIN");
    const claimed = await client.query(
      `INSERT INTO api_idempotency_keys (api_key_id, key, request_hash) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING key`,
      [apiKeyId, idempotencyKey, requestHash],
    );
    if (claimed.rowCount === 0) {
      await client.query("ROLLBACK");
      return await findPrevious({ apiKeyId, idempotencyKey, requestHash });
    }
    const stored = await storeFeedbackReplay(replay, client);
    await client.query(
      "UPDATE api_idempotency_keys SET replay_id = $3, response = $4 WHERE api_key_id = $1 AND key = $2",
      [apiKeyId, idempotencyKey, stored.id, JSON.stringify(stored)],
    );
    await client.query("COMMIT");
    return stored;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

async function findPrevious({
  apiKeyId,
  idempotencyKey,
  requestHash,
}: {
  apiKeyId: string;
  idempotencyKey: string;
  requestHash: string;
}): Promise<StoredReplay> {
  const { rows } = await getPool().query(
    "SELECT request_hash, response FROM api_idempotency_keys WHERE api_key_id = $1 AND key = $2",
    [apiKeyId, idempotencyKey],
  );
  const previous = rows[0] as { request_hash: string; response: StoredReplay | null } | undefined;
  if (!previous?.response) {
    throw new UserError({
      code: "idempotency_conflict",
      status: 409,
      message: "A request with this Idempotency-Key is still being processed. Retry in a moment.",
    });
  }
  if (previous.request_hash !== requestHash) {
    throw new UserError({
      code: "idempotency_key_reused",
      status: 422,
      message: "This Idempotency-Key was already used with a different body. Use a new key for a new request.",
    });
  }
  return previous.response;
}
