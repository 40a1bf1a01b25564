import { listOidcConfigs } from "@/lib/auth/oidc-config";
import { requirePageUser } from "@/lib/auth/session";
import { isDemoMode, readEnv } from "@/lib/env";
import { AdminNav } from "./admin-nav";

export const metadata = { title: "Admin" };
export const dynamic = "force-dynamic";

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[12rem_1fr] gap-4 px-4 py-2.5 text-sm">
      <dt className="text-slate-500">{label}</dt>
      <dd className="min-w-0 break-words text-slate-900">{children}</dd>
    </div>
  );
}

/** Settings as the server sees them (environment variables; never a secret's value). */
export default async function AdminSettingsPage() {
  await requirePageUser("admin");
  const env = readEnv();
  const demo = isDemoMode(env);
  const providers = demo ? [] : listOidcConfigs(env);
  const base = env.NEXTAUTH_URL?.replace(/\/+$/, "") ?? "";
  return (
    <main className="mx-auto max-w-5xl px-4 py-8">
      <h1 className="mb-4 text-2xl font-semibold tracking-tight">Admin</h1>
      <AdminNav current="/admin" />
      <p className="mb-4 text-sm text-slate-600">Configuration comes from environment variables (see <code>.env.example</code>); change them and restart to change these.</p>

      <section className="mb-6 overflow-hidden rounded-lg border border-slate-200 bg-white">
        <h2 className="border-b border-slate-100 px-4 py-2.5 font-medium">Sign-in</h2>
        <dl className="divide-y divide-slate-100">
          {demo ? (
            <Row label="Mode">
              <span className="font-medium text-amber-800">Demo sign-in</span> — anyone who reaches the app can sign in as a demo user. Set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET.
            </Row>
          ) : (
            providers.map((p) => (
              <Row key={p.id} label={p.name}>
                <span className="block">Issuer: <code>{p.issuer}</code></span>
                <span className="block">Callback URL: <code>{`${base}/api/auth/callback/${p.id}`}</code></span>
                <span className="block">Roles from claim <code>{p.roleClaim}</code>: {p.roleMap.size ? [...p.roleMap].map(([k, v]) => `${k} → ${v}`).join(", ") : "no mapping"}; otherwise {p.defaultRole}</span>
                <span className="block">Email domains: {p.allowedEmailDomains.length ? p.allowedEmailDomains.join(", ") : "any"}{p.hostedDomain ? `; Google Workspace domain ${p.hostedDomain}` : ""}</span>
              </Row>
            ))
          )}
          <Row label="Session cookies">{env.NEXTAUTH_URL?.startsWith("https://") ? "Secure, HttpOnly, SameSite=Lax" : "HttpOnly, SameSite=Lax (not Secure: NEXTAUTH_URL is not https)"}; sessions last 12 hours</Row>
        </dl>
      </section>

      <section className="overflow-hidden rounded-lg border border-slate-200 bg-white">
        <h2 className="border-b border-slate-100 px-4 py-2.5 font-medium">API and jobs</h2>
        <dl className="divide-y divide-slate-100">
          <Row label="Scheduled jobs">{env.CRON_SECRET ? "CRON_SECRET is set: /api/cron/* accept it as a Bearer token" : "CRON_SECRET is unset: /api/cron/* refuse every call"}</Row>
          <Row label="Rate limits">{env.RATE_LIMIT_API_PER_MINUTE} API requests per key per minute; {env.RATE_LIMIT_SIGNIN_PER_MINUTE} sign-in steps per address per minute</Row>
          <Row label="Largest API body">{env.API_MAX_BODY_BYTES.toLocaleString("en")} bytes</Row>
        </dl>
      </section>
    </main>
  );
}
