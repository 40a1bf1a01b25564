"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { createApiKeyAction } from "./actions";

const SCOPES = [
  { value: "feedback:write", hint: "helpdesk reports sent replies (POST /api/feedback-replay)" },
  { value: "suggest", hint: "ask for AI suggestions (POST /api/suggestions)" },
  { value: "training:export", hint: "download training data (GET /api/training/export)" },
  { value: "admin", hint: "everything above" },
] as const;

/** Creates a key and shows it once, with a copy button; the list below shows only its prefix. */
export function CreateApiKeyForm() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<string[]>(["feedback:write"]);
  const [error, setError] = useState<{ message: string; fieldErrors?: Record<string, string> } | null>(null);
  const [created, setCreated] = useState<{ key: string; prefix: string } | null>(null);
  const [copied, setCopied] = useState(false);

  function submit(event: React.FormEvent) {
    event.preventDefault();
    startTransition(async () => {
      const result = await createApiKeyAction({ name, scopes });
      if (!result.ok) {
        setError(result);
        return;
      }
      setError(null);
      setCreated({ key: result.key, prefix: result.prefix });
      setCopied(false);
      setName("");
      router.refresh();
    });
  }

  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 className="font-medium">New API key</h2>
      {created && (
        <div data-testid="new-api-key" className="mt-3 rounded-md border border-emerald-200 bg-emerald-50 p-3 text-sm">
          <p className="font-medium text-emerald-900">Copy this key now: it is shown only once.</p>
          <div className="mt-2 flex items-center gap-2">
            <code className="min-w-0 flex-1 break-all rounded bg-white px-2 py-1 font-mono text-xs text-slate-900">{created.key}</code>
            <button
              type="button"
              onClick={() => void navigator.clipboard?.writeText(created.key).then(() => setCopied(true))}
              className="rounded-md border border-emerald-300 bg-white px-2 py-1 text-xs font-medium text-emerald-900 hover:bg-emerald-100"
            >
              {copied ? "Copied" : "Copy"}
            </button>
          </div>
        </div>
      )}
      <form onSubmit={submit} className="mt-3 grid gap-3">
        <label className="grid gap-1 text-sm">
          <span className="font-medium text-slate-700">Name</span>
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="zendesk-production"
            maxLength={100}
            className="rounded-md border border-slate-300 px-3 py-1.5 focus:border-indigo-500 focus:outline-none"
          />
          {error?.fieldErrors?.name && <span className="text-xs text-red-700">{error.fieldErrors.name}</span>}
        </label>
        <fieldset className="grid gap-1 text-sm">
          <legend className="mb-1 font-medium text-slate-700">Scopes</legend>
          {SCOPES.map((scope) => (
            <label key={scope.value} className="flex items-start gap-2">
              <input
                type="checkbox"
                className="mt-1"
                checked={scopes.includes(scope.value)}
                onChange={(e) => setScopes((s) => (e.target.checked ? [...s, scope.value] : s.filter((v) => v !== scope.value)))}
              />
              <span>
                <code className="text-slate-900">{scope.value}</code> <span className="text-slate-500">— {scope.hint}</span>
              </span>
            </label>
          ))}
          {error?.fieldErrors?.scopes && <span className="text-xs text-red-700">{error.fieldErrors.scopes}</span>}
        </fieldset>
        {error && !error.fieldErrors && <p role="alert" className="text-sm text-red-700">{error.message}</p>}
        <div>
          <button
            type="submit"
            disabled={pending}
            className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
          >
            {pending ? "Creating…" : "Create key"}
          </button>
        </div>
      </form>
    </section>
  );
}
