import "server-only";
import { getPool } from "@/lib/db/client";
import { modelLabel } from "@/lib/ai/model-version";

export type ModelVersionRow = {
  id: string;
  provider: "local" | "openai";
  label: string;
  isActive: boolean;
  activatedBy: string | null;
  activatedByName: string | null;
  notes: string | null;
  createdAt: string;
  promotedAt: string | null;
  suggestions: number;
  judged: number;
  useful: number;
};

/** Every version with how its suggestions fared, for the models page. Aggregated in SQL. */
export async function listModelVersions(): Promise<ModelVersionRow[]> {
  const { rows } = await getPool().query(
    `SELECT v.id, v.provider, v.name, v.version, v.is_active, v.activated_by, u.name AS activated_by_name, v.notes,
            v.created_at, v.promoted_at,
            coalesce(s.suggestions, 0)::int AS suggestions, coalesce(s.judged, 0)::int AS judged, coalesce(s.useful, 0)::int AS useful
     FROM model_versions v
     LEFT JOIN users u ON u.id = v.activated_by_user_id
     LEFT JOIN (
       SELECT model_version_id, count(*) AS suggestions,
              count(*) FILTER (WHERE feedback IS NOT NULL) AS judged, count(*) FILTER (WHERE feedback = 'yes') AS useful
       FROM feedback_replay_log WHERE model_version_id IS NOT NULL GROUP BY model_version_id
     ) s ON s.model_version_id = v.id
     ORDER BY v.is_active DESC, v.promoted_at DESC NULLS LAST, v.created_at DESC`,
  );
  return rows.map((r) => ({
    id: r.id,
    provider: r.provider,
    label: modelLabel(r),
    isActive: r.is_active,
    activatedBy: r.activated_by,
    activatedByName: r.activated_by_name,
    notes: r.notes,
    createdAt: (r.created_at as Date).toISOString(),
    promotedAt: r.promoted_at ? (r.promoted_at as Date).toISOString() : null,
    suggestions: r.suggestions,
    judged: r.judged,
    useful: r.useful,
  }));
}
