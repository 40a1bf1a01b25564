"use client";

import { useRouter } from "next/navigation";
import { startTransition, useEffect, useState } from "react";

/**
 * What a page shows when its server render failed. In production Next.js hides the error's
 * message, so the page asks /api/health whether the database answers: during an outage it says
 * so calmly (drafts live in the browser, nothing typed is lost) and offers a retry, which
 * re-renders the page on the server; otherwise a generic message with the error's digest.
 */
export function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const router = useRouter();
  const [database, setDatabase] = useState<"checking" | "down" | "up">("checking");

  useEffect(() => {
    let live = true;
    fetch("/api/health", { cache: "no-store" })
      .then((response) => live && setDatabase(response.status === 503 ? "down" : "up"))
      .catch(() => live && setDatabase("down"));
    return () => {
      live = false;
    };
  }, [error]);

  const retry = () =>
    startTransition(() => {
      router.refresh();
      reset();
    });

  const down = database === "down";
  return (
    <main className="mx-auto max-w-lg px-4 py-24 text-center" data-testid="page-error" data-database={database}>
      <h1 className="text-xl font-semibold">{down ? "The database is unavailable right now" : "This page could not load"}</h1>
      <p role="status" className="mt-2 text-sm text-slate-600">
        {down
          ? "Your work is kept: drafts stay in this browser, and nothing you submitted is lost. This usually passes in a few seconds."
          : `Something went wrong on our side. Try again; if it keeps failing, quote ${error.digest ? `error ${error.digest}` : "the time it happened"}.`}
      </p>
      <button
        type="button"
        onClick={retry}
        className="mt-6 rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-700"
      >
        Try again
      </button>
    </main>
  );
}
