import "server-only";
import { createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { exportJsonl, type DatasetRequest } from "@/lib/training/export-jsonl";
import { getDataset, type DatasetRow } from "@/lib/training/list-datasets";

/** `npm run cli -- export --out FILE`: builds a snapshot and writes its file, with backpressure. */
export async function writeJsonlFile({ out, request }: { out: string; request: DatasetRequest }): Promise<DatasetRow> {
  const { dataset, chunks } = await exportJsonl(request);
  await pipeline(Readable.from(chunks), createWriteStream(out));
  return (await getDataset(dataset.id))!;
}
