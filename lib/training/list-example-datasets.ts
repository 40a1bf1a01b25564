import "server-only";
import { getPool } from "@/lib/db/client";

export type ExampleDataset = { id: string; source: string; split: string; createdAt: string };

/**
 * Lineage, example → datasets: the snapshots that hold an example, newest first, with its side
 * of the split in each. Only the dataset_chunks rows whose created_at span covers the example's
 * can hold it (about one per export, as exports go in created_at order); only their ids are
 * searched (a created_at that is NULL counts as -infinity, as the export records it).
 * bench/export.ts measures it at a million members.
 */
export async function listExampleDatasets(exampleId: string, { limit = 20 }: { limit?: number } = {}): Promise<ExampleDataset[]> {
  const { rows } = await getPool().query(
    `SELECT d.id, d.source, d.created_at,
            CASE WHEN c.validation[array_position(c.example_ids, t.id)] THEN 'validation' ELSE 'train' END AS split
     FROM training_log t
     JOIN dataset_chunks c ON c.oldest_created_at <= coalesce(t.created_at, '-infinity') AND c.newest_created_at >= coalesce(t.created_at, '-infinity')
                        AND t.id = ANY (c.example_ids)
     JOIN datasets d ON d.id = c.dataset_id
     WHERE t.id = $1
     ORDER BY d.created_at DESC
     LIMIT $2`,
    [exampleId, limit],
  );
  return rows.map((d) => ({ id: String(d.id), source: d.source, split: d.split, createdAt: (d.created_at as Date).toISOString() }));
}
