import "server-only";
import { getPool } from "@/lib/db/client";
import { readEnv } from "@/lib/env";
import { integrationSecret } from "@/lib/integrations/handle-integration-webhook";
import { INTEGRATION_SOURCES, type IntegrationSource, type RefusalReason } from "@/lib/integrations/verify-signature";

export const INTEGRATIONS: Record<IntegrationSource, { name: string; path: string; secretVar: string }> = {
  zendesk: { name: "Zendesk", path: "/api/integrations/zendesk", secretVar: "ZENDESK_WEBHOOK_SECRET" },
  intercom: { name: "Intercom", path: "/api/integrations/intercom", secretVar: "INTERCOM_CLIENT_SECRET" },
  webhook: { name: "Generic webhook", path: "/api/integrations/webhook", secretVar: "HELPDESK_WEBHOOK_SECRET" },
};

export const REFUSAL_LABELS: Record<RefusalReason, string> = {
  secret_not_set: "secret not set on the server",
  signature_missing: "no signature header",
  signature_invalid: "signature does not match (wrong secret?)",
  timestamp_missing: "no timestamp header",
  timestamp_stale: "older than 5 minutes",
  payload_invalid: "signed, but not an event we understand",
  payload_too_large: "body too large",
  unsupported_media_type: "not JSON",
};

export type IntegrationOverview = {
  source: IntegrationSource;
  name: string;
  path: string;
  secretVar: string;
  secretSet: boolean;
  lastEventAt: Date | null;
  lastEventKind: string | null;
  eventsTotal: number;
  lastRefusalAt: Date | null;
  lastRefusalReason: string | null;
  refusalsTotal: number;
};

export type ImportRunRow = { id: string; fileName: string; linesDone: number; imported: number; duplicates: number; failed: number; status: string; badLines: string[]; startedAt: Date; updatedAt: Date };

/** The admin's set-up page: each integration (never a secret's value) and the latest imports. */
export async function getIntegrationsOverview(): Promise<{ integrations: IntegrationOverview[]; imports: ImportRunRow[]; labelRatio: number }> {
  const pool = getPool();
  const [{ rows: status }, { rows: runs }] = await Promise.all([
    pool.query("SELECT source, last_event_at, last_event_kind, events_total, last_refusal_at, last_refusal_reason, refusals_total FROM integration_status"),
    pool.query(
      `SELECT id, file_name, lines_done, imported, duplicates, failed,
              CASE WHEN status = 'running' AND updated_at < now() - interval '2 minutes' THEN 'interrupted' ELSE status END AS status,
              bad_lines, created_at, updated_at
       FROM import_runs ORDER BY created_at DESC LIMIT 10`,
    ),
  ]);
  const bySource = new Map(status.map((r) => [r.source as string, r]));
  const integrations = INTEGRATION_SOURCES.map((source): IntegrationOverview => {
    const row = bySource.get(source);
    return {
      source,
      ...INTEGRATIONS[source],
      secretSet: Boolean(integrationSecret(source)),
      lastEventAt: row?.last_event_at ?? null,
      lastEventKind: row?.last_event_kind ?? null,
      eventsTotal: Number(row?.events_total ?? 0),
      lastRefusalAt: row?.last_refusal_at ?? null,
      lastRefusalReason: row?.last_refusal_reason ? (REFUSAL_LABELS[row.last_refusal_reason as RefusalReason] ?? row.last_refusal_reason) : null,
      refusalsTotal: Number(row?.refusals_total ?? 0),
    };
  });
  const imports = runs.map((r) => ({
    id: r.id,
    fileName: r.file_name,
    linesDone: Number(r.lines_done),
    imported: Number(r.imported),
    duplicates: Number(r.duplicates),
    failed: Number(r.failed),
    status: r.status,
    badLines: r.bad_lines,
    startedAt: r.created_at,
    updatedAt: r.updated_at,
  }));
  return { integrations, imports, labelRatio: readEnv().HELPDESK_NOT_USEFUL_EDIT_RATIO };
}
