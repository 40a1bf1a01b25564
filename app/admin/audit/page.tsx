import Link from "next/link";
import { listAuditLog } from "@/lib/audit/list-audit-log";
import { auditQuerySchema } from "@/lib/audit/schemas";
import { requirePageUser } from "@/lib/auth/session";
import { DataTable } from "@/components/ui/data-table";
import { AdminShell, formatTime } from "../admin-nav";

export const metadata = { title: "Audit log" };
export const dynamic = "force-dynamic";

function describeActor(entry: { actorType: string; actorEmail: string | null }) {
  if (entry.actorType === "api_key") return `API key ${entry.actorEmail ?? ""}`.trim();
  if (entry.actorType === "user" || entry.actorType === "anonymous") return entry.actorEmail ?? entry.actorType;
  return entry.actorType;
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  await requirePageUser("admin");
  const params = await searchParams;
  const parsed = auditQuerySchema.safeParse({ action: params.action || undefined, actor: params.actor || undefined, before: params.before || undefined });
  const query = parsed.success ? parsed.data : {};
  const { entries, nextCursor } = await listAuditLog(query);
  const next = nextCursor ? `?${new URLSearchParams({ ...(query.action ? { action: query.action } : {}), ...(query.actor ? { actor: query.actor } : {}), before: nextCursor })}` : null;

  return (
    <AdminShell current="/admin/audit" wide>
      <form className="mb-4 flex flex-wrap items-end gap-3 text-sm" role="search">
        <label className="grid gap-1">
          <span className="text-xs font-medium text-slate-600">Action starts with</span>
          <input name="action" defaultValue={query.action} placeholder="auth. / api_key." className="rounded-md border border-slate-300 px-2 py-1" />
        </label>
        <label className="grid gap-1">
          <span className="text-xs font-medium text-slate-600">Who (email)</span>
          <input name="actor" defaultValue={query.actor} placeholder="someone@company.com" className="rounded-md border border-slate-300 px-2 py-1" />
        </label>
        <button type="submit" className="rounded-md border border-slate-300 bg-white px-3 py-1 font-medium hover:bg-slate-50">Filter</button>
        {(query.action || query.actor || query.before) && <Link href="/admin/audit" className="py-1 text-indigo-700 hover:underline">Clear</Link>}
      </form>
      {!parsed.success && <p role="alert" className="mb-3 text-sm text-red-700">That filter was not understood; showing everything.</p>}
      <DataTable
        columns={[{ label: "When" }, { label: "Who" }, { label: "Action" }, { label: "Target" }, { label: "Details" }, { label: "From" }]}
        bodyClassName="align-top"
        empty={entries.length === 0 && `Nothing recorded${query.action || query.actor ? " for this filter" : " yet"}.`}
      >
        {entries.map((entry) => (
          <tr key={entry.id} data-testid="audit-row">
            <td className="whitespace-nowrap px-4 py-2 tabular-nums text-xs text-slate-600">{formatTime(entry.createdAt)}</td>
            <td className="px-4 py-2">{describeActor(entry)}</td>
            <td className="px-4 py-2 font-mono text-xs">{entry.action}</td>
            <td className="px-4 py-2 text-xs">{entry.target}</td>
            <td className="max-w-sm px-4 py-2 font-mono text-xs break-all text-slate-600">{JSON.stringify(entry.details)}</td>
            <td className="px-4 py-2 text-xs text-slate-500">{entry.ip}</td>
          </tr>
        ))}
      </DataTable>
      {next && (
        <Link href={`/admin/audit${next}`} className="mt-4 inline-block text-sm font-medium text-indigo-700 hover:underline">
          Older entries →
        </Link>
      )}
    </AdminShell>
  );
}
