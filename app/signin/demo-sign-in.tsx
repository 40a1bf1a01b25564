"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";

type Person = { email: string; name: string; role: string };

export function DemoSignIn({ people, destination }: { people: Person[]; destination: string }) {
  const [busy, setBusy] = useState<string | null>(null);
  if (people.length === 0) {
    return <p className="mt-6 text-sm text-slate-600">No demo users yet. Restart the app, or run <code>npm run cli -- seed-demo</code>.</p>;
  }
  return (
    <ul className="mt-6 divide-y divide-slate-200 overflow-hidden rounded-lg border border-slate-200 bg-white">
      {people.map((person) => (
        <li key={person.email}>
          <button
            type="button"
            disabled={busy !== null}
            onClick={() => {
              setBusy(person.email);
              void signIn("demo", { email: person.email, callbackUrl: destination });
            }}
            className="flex w-full items-center justify-between px-4 py-3 text-left hover:bg-slate-50 focus:bg-indigo-50 focus:outline-none disabled:opacity-60"
          >
            <span>
              <span className="block font-medium">{person.name}</span>
              <span className="block text-xs text-slate-500">{person.email}</span>
            </span>
            <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs capitalize text-slate-600">
              {busy === person.email ? "Signing in…" : person.role}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
