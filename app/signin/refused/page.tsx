import Link from "next/link";

export const metadata = { title: "Not allowed" };
export const dynamic = "force-dynamic";

const DOMAIN = /^[a-z0-9.-]{1,253}$/i;

function explain(reason: string | undefined, domain: string | undefined) {
  const from = domain && DOMAIN.test(domain) ? domain : undefined;
  switch (reason) {
    case "domain":
      return from
        ? `Accounts from ${from} can't use Feedback Replay. Sign in with your company account instead.`
        : "Your account's email domain is not allowed here. Sign in with your company account instead.";
    case "hosted_domain":
      return "This app accepts only accounts of your company's Google Workspace. Sign in with your work account, not a personal one.";
    case "email_unverified":
      return "Your identity provider says your email address is not verified. Verify it there, then sign in again.";
    case "no_email":
      return "Your identity provider did not send an email address. Ask your admin to release the email claim to this app.";
    default:
      return "Your account is not allowed to use Feedback Replay.";
  }
}

/** Where SSO sends someone it authenticated but we refuse. Says why, and what to do; no session was made. */
export default async function SignInRefusedPage({ searchParams }: { searchParams: Promise<{ reason?: string; domain?: string }> }) {
  const { reason, domain } = await searchParams;
  return (
    <main className="mx-auto max-w-md px-4 py-24 text-center">
      <h1 className="text-xl font-semibold">You can&apos;t sign in with this account</h1>
      <p data-testid="refusal-reason" className="mt-3 text-sm text-slate-600">
        {explain(reason, domain)}
      </p>
      <p className="mt-2 text-sm text-slate-600">If you think this is a mistake, ask your Feedback Replay admin.</p>
      <Link href="/signin" className="mt-6 inline-block text-sm font-medium text-indigo-700 hover:underline">
        Try another account
      </Link>
    </main>
  );
}
