import { asc } from "drizzle-orm";
import { redirect } from "next/navigation";
import { getSessionUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { isDemoMode } from "@/lib/env";
import { DemoSignIn } from "./demo-sign-in";

export const metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

const ERRORS: Record<string, string> = {
  CredentialsSignin: "That demo user does not exist any more. Pick another one.",
  SessionRequired: "Sign in to continue.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string; callbackUrl?: string }> }) {
  if (await getSessionUser()) redirect("/replays");
  const { error, callbackUrl } = await searchParams;
  const demo = isDemoMode();
  const people = demo
    ? await getDb().select({ email: users.email, name: users.name, role: users.role }).from(users).orderBy(asc(users.role), asc(users.name))
    : [];
  // Only same-site paths are honoured as a destination after sign-in.
  const destination = callbackUrl?.startsWith("/") && !callbackUrl.startsWith("//") ? callbackUrl : "/replays";

  return (
    <main className="mx-auto max-w-lg px-4 py-16">
      <h1 className="text-2xl font-semibold tracking-tight">Sign in to Feedback Replay</h1>
      {error && (
        <p role="alert" className="mt-4 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {ERRORS[error] ?? "Sign-in failed. Try again."}
        </p>
      )}
      {demo ? (
        <>
          <p className="mt-2 text-sm text-slate-600">
            <strong className="font-medium text-amber-800">Demo mode:</strong> no SSO provider is configured, so you can sign in as any
            demo user. Set <code className="rounded bg-slate-100 px-1">OIDC_ISSUER</code> to use company SSO instead.
          </p>
          <DemoSignIn people={people} destination={destination} />
        </>
      ) : (
        <p className="mt-4 text-sm text-slate-600">Sign in with your company account.</p>
      )}
    </main>
  );
}
