import Link from "next/link";
import { hasRole } from "@/lib/auth/roles";
import { getSessionUser } from "@/lib/auth/session";
import { isDemoMode } from "@/lib/env";
import { SignOutButton } from "@/components/sign-out-button";

export async function AppHeader() {
  const user = await getSessionUser();
  const demo = isDemoMode();
  return (
    <header className="sticky top-0 z-20 border-b border-slate-200 bg-white/95 backdrop-blur">
      <div className="mx-auto flex h-12 max-w-[1600px] items-center gap-6 px-4">
        <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight text-slate-900">
          <span aria-hidden className="grid h-6 w-6 place-items-center rounded-md bg-indigo-600 text-xs text-white">FR</span>
          Feedback Replay
        </Link>
        {user && (
          <nav className="flex items-center gap-4 text-sm text-slate-600">
            <Link href="/replays" className="hover:text-slate-900">Replays</Link>
            <Link href="/history" className="hover:text-slate-900">History</Link>
            {hasRole(user.role, "manager") && (
              <>
                <Link href="/dashboard" className="hover:text-slate-900">Dashboard</Link>
                <Link href="/training" className="hover:text-slate-900">Training</Link>
                <Link href="/models" className="hover:text-slate-900">Models</Link>
                <Link href="/retrain" className="hover:text-slate-900">Retrain</Link>
              </>
            )}
            {hasRole(user.role, "admin") && <Link href="/admin" className="hover:text-slate-900">Admin</Link>}
          </nav>
        )}
        <div className="ml-auto flex items-center gap-3 text-sm">
          {demo && (
            <span
              data-testid="demo-mode"
              title="No SSO provider is configured: anyone can sign in as a demo user. Configure OIDC_ISSUER to turn this off."
              className="rounded-full border border-amber-300 bg-amber-50 px-2.5 py-0.5 text-xs font-medium text-amber-800"
            >
              Demo mode
            </span>
          )}
          {user && (
            <>
              <span className="text-slate-600">
                {user.name} <span className="text-slate-400">· {user.role}</span>
              </span>
              <SignOutButton />
            </>
          )}
        </div>
      </div>
    </header>
  );
}
