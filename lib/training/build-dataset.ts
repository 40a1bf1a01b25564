import "server-only";
import { exportJsonl, type DatasetRequest } from "@/lib/training/export-jsonl";
import { getDataset, type DatasetRow } from "@/lib/training/list-datasets";

/**
 * For jobs that decide before they send (the weekly retrain): makes and records a dataset
 * snapshot without keeping the file, and returns it with its counts, SHA-256 and the format
 * validator's report. Send it with streamDatasetJsonl(row.id) when `row.validation.ok`.
 */
export async function buildDataset(request: DatasetRequest): Promise<DatasetRow> {
  const { dataset, chunks } = await exportJsonl(request);
  for await (const chunk of chunks) void chunk; // the hash and the report are recorded as it streams
  return (await getDataset(dataset.id))!;
}
