import { headers } from "next/headers";
import { requirePageUser } from "@/lib/auth/session";
import { DataTable } from "@/components/ui/data-table";
import { readEnv } from "@/lib/env";
import { getIntegrationsOverview } from "@/lib/integrations/get-integrations-overview";
import { AdminShell, formatTime } from "../admin-nav";
import { ImportHistoryForm } from "./import-history-form";
import { SendTestEventButton } from "./send-test-event-button";

export const metadata = { title: "Integrations" };
export const dynamic = "force-dynamic";

async function baseUrl(): Promise<string> {
  const configured = readEnv().NEXTAUTH_URL?.replace(/\/+$/, "");
  if (configured) return configured;
  const h = await headers();
  return `${h.get("x-forwarded-proto") ?? "http"}://${h.get("host") ?? "localhost"}`;
}

/** Helpdesk set-up: where each integration posts, whether it can verify, what it last received or refused. */
export default async function IntegrationsPage() {
  await requirePageUser("admin");
  const [{ integrations, imports, labelRatio }, base] = await Promise.all([getIntegrationsOverview(), baseUrl()]);
  const running = imports.some((run) => run.status === "running");
  return (
    <AdminShell current="/admin/integrations" wide>
      <p className="mb-4 text-sm text-slate-600">
        Helpdesks post signed events here; a customer message, the AI draft shown and the reply sent become one replay, labelled by the agent or, when
        they gave none, by how much they changed the draft (not useful from {Math.round(labelRatio * 100)}% of its words changed). Step-by-step set-up:
        README, “Helpdesk integrations”.
      </p>
      <DataTable
        className="mb-8"
        columns={[{ label: "Integration" }, { label: "Secret" }, { label: "Last event" }, { label: "Last refusal" }, { label: "Test", hidden: true }]}
      >
        {integrations.map((i) => (
          <tr key={i.source} data-testid="integration-row" className="align-top">
            <td className="px-4 py-3">
              <span className="block font-medium">{i.name}</span>
              <code className="mt-0.5 block break-all text-xs text-slate-600">{`${base}${i.path}`}</code>
            </td>
            <td className="px-4 py-3 text-xs">
              {i.secretSet ? (
                <span className="font-medium text-emerald-700">set</span>
              ) : (
                <span className="text-amber-800">
                  not set: <code>{i.secretVar}</code>
                </span>
              )}
            </td>
            <td className="px-4 py-3 text-xs tabular-nums">
              {i.lastEventAt ? (
                <>
                  <span className="block">{formatTime(i.lastEventAt)}</span>
                  <span className="text-slate-500">
                    {i.lastEventKind} · {i.eventsTotal.toLocaleString("en")} in all
                  </span>
                </>
              ) : (
                <span className="text-slate-500">none yet</span>
              )}
            </td>
            <td className="px-4 py-3 text-xs tabular-nums">
              {i.lastRefusalAt ? (
                <>
                  <span className="block">{formatTime(i.lastRefusalAt)}</span>
                  <span className="text-red-700">{i.lastRefusalReason}</span>
                  <span className="text-slate-500"> · {i.refusalsTotal.toLocaleString("en")} in all</span>
                </>
              ) : (
                <span className="text-slate-500">none</span>
              )}
            </td>
            <td className="px-4 py-3 text-right">
              <SendTestEventButton source={i.source} name={i.name} disabled={!i.secretSet} />
            </td>
          </tr>
        ))}
      </DataTable>

      <section className="mb-4 overflow-hidden rounded-lg border border-slate-200 bg-white">
        <h2 className="border-b border-slate-100 px-4 py-2.5 font-medium">Import history</h2>
        <p className="px-4 pt-3 text-sm text-slate-600">
          A JSONL or CSV file of past conversations, up to 100 MB, with the fields of <code>POST /api/feedback-replay</code> (<code>message</code>,{" "}
          <code>aiReply</code>, <code>agentReply</code>, <code>feedback</code>, <code>ticketId</code>, <code>agentEmail</code>) and <code>createdAt</code>.
          Importing a file again stores nothing new. Bigger files: <code>npm run cli -- import FILE</code>.
        </p>
        <ImportHistoryForm running={running} />
      </section>
      <DataTable
        columns={[{ label: "File" }, { label: "Status" }, { label: "Lines read", align: "right" }, { label: "Imported", align: "right" }, { label: "Already there", align: "right" }, { label: "Bad lines", align: "right" }, { label: "Started" }]}
        empty={imports.length === 0 && "No imports yet."}
      >
        {imports.map((run) => (
          <tr key={run.id} data-testid="import-row" className="align-top">
            <td className="px-4 py-2">
              <span className="font-medium">{run.fileName}</span>
              {run.badLines.length > 0 && (
                <details className="mt-1 text-xs text-slate-600">
                  <summary className="cursor-pointer">Bad lines</summary>
                  <ul className="mt-1 list-disc pl-4">
                    {run.badLines.map((line) => (
                      <li key={line}>{line}</li>
                    ))}
                  </ul>
                </details>
              )}
            </td>
            <td className={`px-4 py-2 text-xs ${run.status === "failed" || run.status === "interrupted" ? "text-red-700" : run.status === "running" ? "text-indigo-700" : "text-slate-600"}`}>
              {run.status === "running" ? "importing…" : run.status}
            </td>
            <td className="px-4 py-2 text-right tabular-nums">{run.linesDone.toLocaleString("en")}</td>
            <td className="px-4 py-2 text-right tabular-nums">{run.imported.toLocaleString("en")}</td>
            <td className="px-4 py-2 text-right tabular-nums">{run.duplicates.toLocaleString("en")}</td>
            <td className="px-4 py-2 text-right tabular-nums">{run.failed.toLocaleString("en")}</td>
            <td className="px-4 py-2 text-xs tabular-nums">{formatTime(run.startedAt)}</td>
          </tr>
        ))}
      </DataTable>
    </AdminShell>
  );
}
