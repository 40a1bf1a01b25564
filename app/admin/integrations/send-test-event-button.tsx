"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { sendTestEventAction } from "./actions";

export function SendTestEventButton({ source, name, disabled }: { source: "zendesk" | "intercom" | "webhook"; name: string; disabled: boolean }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <button
        type="button"
        disabled={pending || disabled}
        title={disabled ? "Set the secret first" : undefined}
        aria-label={`Send a test event to ${name}`}
        onClick={() =>
          startTransition(async () => {
            const answer = await sendTestEventAction({ source });
            setResult(answer.ok ? { ok: answer.accepted, message: answer.message } : { ok: false, message: answer.message });
            router.refresh();
          })
        }
        className="rounded border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-50"
      >
        {pending ? "Sending…" : "Send test event"}
      </button>
      {result && (
        <span role="status" className={`text-xs ${result.ok ? "text-emerald-700" : "text-red-700"}`}>
          {result.message}
        </span>
      )}
    </span>
  );
}
