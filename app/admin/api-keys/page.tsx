import { listApiKeys } from "@/lib/api-keys/list-api-keys";
import { requirePageUser } from "@/lib/auth/session";
import { DataTable } from "@/components/ui/data-table";
import { AdminShell, formatTime } from "../admin-nav";
import { CreateApiKeyForm } from "./create-api-key-form";
import { RevokeApiKeyButton } from "./revoke-api-key-button";

export const metadata = { title: "API keys" };
export const dynamic = "force-dynamic";

export default async function ApiKeysPage() {
  await requirePageUser("admin");
  const keys = await listApiKeys();
  return (
    <AdminShell current="/admin/api-keys">
      <div className="grid gap-6 lg:grid-cols-[1fr_22rem]">
        <DataTable
          className="order-2 self-start lg:order-1"
          columns={[{ label: "Name" }, { label: "Prefix" }, { label: "Scopes" }, { label: "Last used" }, { label: "Actions", hidden: true }]}
          empty={keys.length === 0 && "No API keys yet. Create one for your helpdesk."}
        >
          {keys.map((key) => (
            <tr key={key.id} data-testid="api-key-row" className={key.revokedAt ? "text-slate-400" : undefined}>
              <td className="px-4 py-2 font-medium">{key.name}</td>
              <td className="px-4 py-2 font-mono text-xs">{key.prefix}…</td>
              <td className="px-4 py-2 text-xs">{key.scopes.join(", ")}</td>
              <td className="px-4 py-2 tabular-nums text-xs">{formatTime(key.lastUsedAt)}</td>
              <td className="px-4 py-2 text-right">
                {key.revokedAt ? <span className="text-xs">revoked {formatTime(key.revokedAt)}</span> : <RevokeApiKeyButton id={key.id} name={key.name} />}
              </td>
            </tr>
          ))}
        </DataTable>
        <div className="order-1 lg:order-2">
          <CreateApiKeyForm />
          <p className="mt-3 text-xs text-slate-500">
            The CLI does the same: <code>npm run cli -- api-key create --name N --scopes a,b</code>. Creation and revocation are in the audit log.
          </p>
        </div>
      </div>
    </AdminShell>
  );
}
