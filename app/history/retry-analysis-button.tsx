"use client";

import { useState, useTransition } from "react";
import { retryAnalysisAction } from "./actions";

export function RetryAnalysisButton({ replayId, label = "Retry now" }: { replayId: string; label?: string }) {
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
