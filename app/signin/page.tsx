import { asc } from "drizzle-orm";
import { redirect } from "next/navigation";
import { listOidcConfigs } from "@/lib/auth/oidc-config";
import { getSessionUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { isDemoMode, readEnv } from "@/lib/env";
import { DemoSignIn } from "./demo-sign-in";
import { SsoButtons } from "./sso-buttons";

export const metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

const ERRORS: Record<string, string> = {
  CredentialsSignin: "That demo user does not exist any more. Pick another one.",
  SessionRequired: "Sign in to continue.",
  OAuthSignin: "We could not reach your company's sign-in service. Try again in a minute; if it keeps failing, tell your admin.",
  OAuthCallback: "Your company's sign-in service answered with an error. Try again; if it keeps failing, tell your admin.",
  Callback: "Sign-in could not be completed. Try again.",
  AccessDenied: "Your account is not allowed to use Feedback Replay.",
  OAuthAccountNotLinked: "Sign in with the same provider you used before.",
  Configuration: "Sign-in is not configured correctly on the server. Tell your admin.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string; callbackUrl?: string; retryAfter?: string }> }) {
  if (await getSessionUser()) redirect("/replays");
  const { error, callbackUrl, retryAfter } = await searchParams;
  const demo = isDemoMode();
  const people = demo
    ? await getDb().select({ email: users.email, name: users.name, role: users.role }).from(users).orderBy(asc(users.role), asc(users.name))
    : [];
  const providers = demo ? [] : listOidcConfigs(readEnv()).map(({ id, name }) => ({ id, name }));
  // Only same-site paths are honoured as a destination after sign-in.
  const destination = callbackUrl?.startsWith("/") && !callbackUrl.startsWith("//") ? callbackUrl : "/replays";
  const wait = Number(retryAfter);
  const message =
    error === "RateLimited"
      ? `Too many sign-in attempts from your network. Wait ${Number.isInteger(wait) && wait > 0 && wait <= 3600 ? `${wait} seconds` : "a minute"} and try again.`
      : error && (ERRORS[error] ?? "Sign-in failed. Try again.");

  return (
    <main className="mx-auto max-w-lg px-4 py-16">
      <h1 className="text-2xl font-semibold tracking-tight">Sign in to Feedback Replay</h1>
      {message && (
        <p role="alert" className="mt-4 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {message}
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
        <>
          <p className="mt-2 text-sm text-slate-600">Use your company account. Your role (agent, manager or admin) comes from your groups there.</p>
          <SsoButtons providers={providers} destination={destination} />
        </>
      )}
    </main>
  );
}
