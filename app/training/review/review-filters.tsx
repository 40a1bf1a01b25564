"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import type { ReviewQuery } from "@/lib/training/schemas";

const STATUSES = ["pending", "approved", "rejected", "merged", "all"] as const;

export function toSearch(query: ReviewQuery, change: Partial<Record<keyof ReviewQuery, string | number | boolean | undefined>>): string {
  const merged: Record<string, string | number | boolean | undefined> = { ...query, ...change };
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(merged)) {
    if (value === undefined || value === "" || value === false || key === "limit") continue;
    params.set(key, value === true ? "1" : String(value));
  }
  return `/training/review?${params}`;
}

export function ReviewFilters({ query, total, shown }: { query: ReviewQuery; total: number; shown: number }) {
  const router = useRouter();
  return (
    <div className="space-y-2 border-b border-slate-200 px-3 py-3">
      <div role="tablist" aria-label="Status" className="flex flex-wrap gap-1">
        {STATUSES.map((status) => (
          <Link
            key={status}
            role="tab"
            aria-selected={query.status === status}
            href={toSearch(query, { status })}
            className={`rounded-full px-2.5 py-0.5 text-xs font-medium capitalize ${
              query.status === status ? "bg-indigo-600 text-white" : "bg-slate-100 text-slate-600 hover:bg-slate-200"
            }`}
          >
            {status}
          </Link>
        ))}
      </div>
      <form
        className="flex flex-wrap items-center gap-2 text-xs text-slate-600"
        onSubmit={(event) => {
          event.preventDefault();
          const q = new FormData(event.currentTarget).get("q");
          router.push(toSearch(query, { q: typeof q === "string" ? q : undefined }));
        }}
      >
        {query.group ? (
          <Link href={toSearch(query, { group: undefined })} className="rounded bg-indigo-50 px-2 py-0.5 text-indigo-800 hover:bg-indigo-100">
            One prompt group ✕
          </Link>
        ) : (
          <label className="flex items-center gap-1">
            <input
              type="checkbox"
              checked={query.scope === "worst"}
              onChange={(e) => router.push(toSearch(query, { scope: e.target.checked ? "worst" : "all" }))}
            />
            Worst prompts only
          </label>
        )}
        <label className="flex items-center gap-1">
          <input type="checkbox" checked={query.conflicts} onChange={(e) => router.push(toSearch(query, { conflicts: e.target.checked }))} />
          Conflicts only
        </label>
        <input
          name="q"
          defaultValue={query.q}
          placeholder="Search text…"
          aria-label="Search"
          className="ml-auto w-40 rounded border border-slate-300 px-2 py-1 text-xs"
        />
      </form>
      <p className="text-xs text-slate-500">
        {shown < total ? `Showing ${shown} of ${total}` : `${total} ${total === 1 ? "example" : "examples"}`}
      </p>
    </div>
  );
}
