import { listApiKeys } from "@/lib/api-keys/list-api-keys";
import { requirePageUser } from "@/lib/auth/session";
import { AdminNav, formatTime } from "../admin-nav";
import { CreateApiKeyForm } from "./create-api-key-form";
import { RevokeApiKeyButton } from "./revoke-api-key-button";

export const metadata = { title: "API keys" };
export const dynamic = "force-dynamic";

export default async function ApiKeysPage() {
  await requirePageUser("admin");
  const keys = await listApiKeys();
  return (
    <main className="mx-auto max-w-5xl px-4 py-8">
      <h1 className="mb-4 text-2xl font-semibold tracking-tight">Admin</h1>
      <AdminNav current="/admin/api-keys" />
      <div className="grid gap-6 lg:grid-cols-[1fr_22rem]">
        <section className="order-2 self-start overflow-x-auto rounded-lg border border-slate-200 bg-white lg:order-1">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-4 py-2 font-medium">Name</th>
                <th className="px-4 py-2 font-medium">Prefix</th>
                <th className="px-4 py-2 font-medium">Scopes</th>
                <th className="px-4 py-2 font-medium">Last used</th>
                <th className="px-4 py-2 font-medium" />
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
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
            </tbody>
          </table>
          {keys.length === 0 && <p className="px-4 py-6 text-sm text-slate-500">No API keys yet. Create one for your helpdesk.</p>}
        </section>
        <div className="order-1 lg:order-2">
          <CreateApiKeyForm />
          <p className="mt-3 text-xs text-slate-500">
            The CLI does the same: <code>npm run cli -- api-key create --name N --scopes a,b</code>. Creation and revocation are in the audit log.
          </p>
        </div>
      </div>
    </main>
  );
}
