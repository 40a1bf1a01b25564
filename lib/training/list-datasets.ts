import "server-only";
import { getPool } from "@/lib/db/client";
import type { ValidationReport } from "@/lib/training/validate-jsonl";

export type DatasetRow = {
  id: string;
  source: "approved" | "worst-prompts";
  split: "all" | "train" | "validation";
  format: "sft" | "dpo";
  status: "writing" | "complete" | "aborted";
  createdVia: string;
  createdByName: string | null;
  apiKeyName: string | null;
  exampleCount: number;
  trainCount: number;
  validationCount: number;
  dropped: { duplicate?: number; tooLong?: number; unusable?: number };
  validation: ValidationReport | null;
  sha256: string | null;
  bytes: number | null;
  createdAt: string;
};

const SELECT = `
SELECT d.id, d.source, d.split, d.status, d.created_via, u.name AS created_by_name, k.name AS api_key_name,
       d.example_count, d.train_count, d.validation_count, d.dropped, d.validation, d.sha256, d.bytes, d.created_at, d.format
FROM datasets d LEFT JOIN users u ON u.id = d.created_by LEFT JOIN api_keys k ON k.id = d.api_key_id`;

function toRow(r: Record<string, unknown>): DatasetRow {
  return {
    id: String(r.id),
    source: r.source as DatasetRow["source"],
    split: r.split as DatasetRow["split"],
    format: r.format === "dpo" ? "dpo" : "sft",
    status: r.status as DatasetRow["status"],
    createdVia: String(r.created_via),
    createdByName: (r.created_by_name as string | null) ?? null,
    apiKeyName: (r.api_key_name as string | null) ?? null,
    exampleCount: Number(r.example_count),
    trainCount: Number(r.train_count),
    validationCount: Number(r.validation_count),
    dropped: r.dropped as DatasetRow["dropped"],
    validation: (r.validation as ValidationReport | null) ?? null,
    sha256: (r.sha256 as string | null) ?? null,
    bytes: r.bytes === null ? null : Number(r.bytes),
    createdAt: (r.created_at as Date).toISOString(),
  };
}

/** Dataset snapshots, newest first. */
export async function listDatasets({ limit = 100 }: { limit?: number } = {}): Promise<DatasetRow[]> {
  const { rows } = await getPool().query(`${SELECT} ORDER BY d.created_at DESC LIMIT $1`, [limit]);
  return rows.map(toRow);
}

export async function getDataset(id: string): Promise<DatasetRow | null> {
  const { rows } = await getPool().query(`${SELECT} WHERE d.id = $1`, [id]);
  return rows[0] ? toRow(rows[0]) : null;
}
