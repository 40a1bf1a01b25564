"use client";

import { useState, useTransition } from "react";
import { activateModelVersionAction } from "./actions";

export function ActivateButton({ id, label, disabledReason }: { id: string; label: string; disabledReason?: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <span className="inline-flex flex-col items-end gap-1">
      <button
        type="button"
        disabled={pending || Boolean(disabledReason)}
        title={disabledReason}
        aria-label={`Make ${label} active`}
        onClick={() =>
          startTransition(async () => {
            const result = await activateModelVersionAction({ id });
            setError(result.ok ? null : result.message);
          })
        }
        className="whitespace-nowrap rounded-md border border-slate-300 bg-white px-3 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-50"
      >
        {pending ? "Switching…" : "Make active"}
      </button>
      {error && (
        <span role="alert" className="max-w-64 text-right text-xs text-rose-700">
          {error}
        </span>
      )}
    </span>
  );
}
