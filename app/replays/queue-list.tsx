"use client";

import type { QueueItem } from "@/lib/feedback/list-queue";

function age(iso: string) {
  const minutes = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 60_000));
  if (minutes < 60) return `${minutes}m`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)}h`;
  return `${Math.round(minutes / 1440)}d`;
}

export function QueueList({
  items,
  selectedId,
  hasDraft,
  onSelect,
}: {
  items: QueueItem[];
  selectedId: string | null;
  hasDraft: (id: string) => boolean;
  onSelect: (id: string) => void;
}) {
  if (items.length === 0) {
    return <p className="px-4 py-8 text-center text-sm text-slate-500">Nothing waiting. New replays appear here as they arrive.</p>;
  }
  return (
    <ul aria-label="Pending replays" className="divide-y divide-slate-100">
      {items.map((item) => {
        const selected = item.id === selectedId;
        const taken = item.reservation && !item.reservation.mine ? item.reservation.name : null;
        return (
          <li key={item.id}>
            <button
              type="button"
              data-testid="queue-item"
              aria-current={selected ? "true" : undefined}
              data-taken={taken ? "true" : undefined}
              onClick={() => onSelect(item.id)}
              className={`block w-full px-4 py-3 text-left transition-colors ${
                selected ? "bg-indigo-50 shadow-[inset_3px_0_0_var(--color-indigo-600)]" : "hover:bg-slate-50"
              } ${taken && !selected ? "opacity-60" : ""}`}
            >
              <span className="flex items-center gap-2 text-xs text-slate-500">
                {item.topic && <span className="shrink-0 whitespace-nowrap rounded bg-slate-100 px-1.5 py-px font-medium text-slate-700">{item.topic}</span>}
                <span className="min-w-0 truncate">{item.ticketId ?? "no ticket"}</span>
                {hasDraft(item.id) && <span className="shrink-0 text-amber-700" title="You have an unsent draft">● draft</span>}
                <span className="ml-auto shrink-0" suppressHydrationWarning>{age(item.createdAt)}</span>
              </span>
              <span className="mt-1 line-clamp-2 text-sm text-slate-800">{item.message}</span>
              {taken && <span className="mt-1 block text-xs font-medium text-amber-800">{taken} is on this</span>}
            </button>
          </li>
        );
      })}
    </ul>
  );
}
