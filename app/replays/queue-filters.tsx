"use client";

import type { QueueQuery } from "@/lib/feedback/schemas";

export function QueueFilters({
  query,
  topics,
  total,
  onChange,
}: {
  query: QueueQuery;
  topics: { topic: string; pending: number }[];
  total: number;
  onChange: (query: QueueQuery) => void;
}) {
  const field = "w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm focus:border-indigo-500 focus:outline-none";
  return (
    <div className="space-y-2 border-b border-slate-200 p-3">
      <div className="flex items-baseline justify-between">
        <h1 className="text-sm font-semibold">Queue</h1>
        <span data-testid="queue-total" className="text-xs text-slate-500">{total} pending</span>
      </div>
      <div className="grid grid-cols-2 gap-2">
        <select aria-label="Order" className={field} value={query.order} onChange={(e) => onChange({ ...query, order: e.target.value as QueueQuery["order"] })}>
          <option value="oldest">Oldest first</option>
          <option value="newest">Newest first</option>
        </select>
        <select aria-label="Topic" className={field} value={query.topic ?? ""} onChange={(e) => onChange({ ...query, topic: e.target.value || undefined })}>
          <option value="">All topics</option>
          {topics.map((t) => (
            <option key={t.topic} value={t.topic}>{t.topic} ({t.pending})</option>
          ))}
        </select>
      </div>
      <input
        type="search"
        aria-label="Ticket"
        placeholder="Filter by ticket id"
        className={field}
        defaultValue={query.ticket ?? ""}
        onChange={(e) => onChange({ ...query, ticket: e.target.value.trim() || undefined })}
      />
    </div>
  );
}
