"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";

type Provider = { id: string; name: string };

/** One button per configured identity provider; next-auth/react does the redirect (PKCE + state). */
export function SsoButtons({ providers, destination }: { providers: Provider[]; destination: string }) {
  const [busy, setBusy] = useState<string | null>(null);
  return (
    <div className="mt-6 flex flex-col gap-3">
      {providers.map((provider) => (
        <button
          key={provider.id}
          type="button"
          disabled={busy !== null}
          onClick={() => {
            setBusy(provider.id);
            void signIn(provider.id, { callbackUrl: destination });
          }}
          className="flex h-11 items-center justify-center rounded-lg bg-indigo-600 px-4 text-sm font-medium text-white shadow-sm hover:bg-indigo-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2 disabled:opacity-60"
        >
          {busy === provider.id ? "Redirecting…" : `Sign in with ${provider.name}`}
        </button>
      ))}
    </div>
  );
}
