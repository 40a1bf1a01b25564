import { createHash } from "node:crypto";

export type Split = "train" | "validation";

/**
 * Train or validation, decided by the prompt group (or the example itself when it has none), so
 * the same question never sits on both sides. Deterministic: the first 32 bits of md5(key) as a
 * fraction of 2^32, compared with the validation share. `splitSql` is the same rule in SQL.
 */
export function splitFor(groupKey: string, validationShare: number): Split {
  const bucket = parseInt(createHash("md5").update(groupKey).digest("hex").slice(0, 8), 16) / 2 ** 32;
  return bucket < validationShare ? "validation" : "train";
}

/** SQL for splitFor(keyExpression, $share): `keyExpression` must be a text expression. */
export function splitSql(keyExpression: string, shareParameter: string): string {
  return `CASE WHEN ('x' || lpad(substr(md5(${keyExpression}), 1, 8), 16, '0'))::bit(64)::bigint / 4294967296.0 < ${shareParameter}
    THEN 'validation' ELSE 'train' END`;
}
