"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { revokeApiKeyAction } from "./actions";

/** Two clicks (Revoke → Confirm), because a revoked key stops the helpdesk integration at once. */
export function RevokeApiKeyButton({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (!confirming) {
    return (
      <button type="button" onClick={() => setConfirming(true)} className="text-xs font-medium text-red-700 hover:underline">
        Revoke
      </button>
    );
  }
  return (
    <span className="inline-flex items-center gap-2 text-xs">
      <button
        type="button"
        disabled={pending}
        aria-label={`Confirm revoking ${name}`}
        onClick={() =>
          startTransition(async () => {
            const result = await revokeApiKeyAction({ id });
            if (!result.ok) setError(result.message);
            else router.refresh();
          })
        }
        className="rounded bg-red-600 px-2 py-0.5 font-medium text-white hover:bg-red-700 disabled:opacity-60"
      >
        {pending ? "Revoking…" : "Confirm revoke"}
      </button>
      <button type="button" onClick={() => setConfirming(false)} className="text-slate-500 hover:underline">
        Cancel
      </button>
      {error && <span role="alert" className="text-red-700">{error}</span>}
    </span>
  );
}
