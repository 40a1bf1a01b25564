"use client";

import { useState, useTransition } from "react";
import { retryAnalysisAction } from "./actions";

/** Runs the analysis now; `onDone` (the review page) reloads what shows it. */
export function RetryAnalysisButton({ replayId, label = "Retry now", onDone }: { replayId: string; label?: string; onDone?: () => void }) {
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <span className="inline-flex items-center gap-2">
      <button
        type="button"
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            const result = await retryAnalysisAction({ replayId });
            setMessage(result.ok ? (result.message ?? null) : result.message);
            onDone?.();
          })
        }
        className="rounded border border-current px-2 py-0.5 text-xs font-medium disabled:opacity-60"
      >
        {pending ? "Analysing…" : label}
      </button>
      {message && <span className="text-xs">{message}</span>}
    </span>
  );
}
