import { createHash } from "node:crypto";
import { md5FirstWordOfUuid } from "@/lib/training/md5-first-word";

export type Split = "train" | "validation";

/**
 * Train or validation, decided by the example's split key (training_log.split_key: one per
 * wording of its question, lib/training/assign-example-keys.ts), so a question's wordings are on
 * both sides and a held-out wording is one the candidate never saw, never a near-copy. Deterministic: the first 32 bits of md5(key) as a
 * fraction of 2^32, compared with the validation share. `createUuidSplitter` is the same rule
 * for a key that is a uuid in its 16 binary bytes.
 */
export function splitFor(groupKey: string, validationShare: number): Split {
  const bucket = parseInt(createHash("md5").update(groupKey).digest("hex").slice(0, 8), 16) / 2 ** 32;
  return bucket < validationShare ? "validation" : "train";
}

/**
 * splitFor(uuid text, validationShare) for a uuid given as its 16 bytes (as binary COPY sends
 * it), without making a string: the export decides a million of these.
 */
export function createUuidSplitter(validationShare: number): (bytes: Uint8Array, offset: number) => Split {
  return (bytes, offset) => (md5FirstWordOfUuid(bytes, offset) / 2 ** 32 < validationShare ? "validation" : "train");
}
