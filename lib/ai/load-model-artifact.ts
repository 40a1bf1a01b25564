import "server-only";
import { getPool } from "@/lib/db/client";
import { CLASSIFIER_FORMAT, CLASSIFIER_KIND, decodeWeights, type Classifier, type ClassifierParams } from "@/lib/retrain/local-classifier";

/** Artifacts never change once stored (a retrain makes a new version): one read per version and process. */
const cache = new Map<string, Promise<Classifier | null>>();
const MAX_CACHED = 16;
/**
 * A version with no artifact (the retrieval-only local-retrieval@v1) is asked again only after
 * this long, so its suggestions do not each pay a query; a retrain stores the artifact before
 * its version can be evaluated or promoted, under a new version id.
 */
const NONE_FOR_MS = 60_000;

/** The classifier a local model version learned, or null (the retrieval-only local model, or an artifact this app cannot read). */
export function loadModelArtifact(modelVersionId: string): Promise<Classifier | null> {
  const cached = cache.get(modelVersionId);
  if (cached) return cached;
  const loading = getPool()
    .query<{ kind: string; format: number; params: ClassifierParams; weights: string }>(
      "SELECT kind, format, params, weights FROM model_artifacts WHERE model_version_id = $1",
      [modelVersionId],
    )
    .then(({ rows }) => {
      const row = rows[0];
      if (row && row.kind === CLASSIFIER_KIND && row.format === CLASSIFIER_FORMAT) return { params: row.params, weights: decodeWeights(row.weights) };
      // An artifact this app cannot read (written by a newer version, then the app rolled back):
      // the version answers by retrieval, as one with no artifact does, rather than fail every suggestion.
      if (row) console.warn(`[model] artifact ${row.kind}/${row.format} of version ${modelVersionId} is not one this app reads; answering by retrieval`);
      setTimeout(() => cache.delete(modelVersionId), NONE_FOR_MS).unref();
      return null;
    });
  loading.catch(() => cache.delete(modelVersionId));
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(modelVersionId, loading);
  return loading;
}
