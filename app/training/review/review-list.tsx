"use client";

import type { ReviewItem } from "@/lib/training/list-review-queue";
import { RedactedText } from "./redacted-text";

export const STATUS_STYLE: Record<ReviewItem["reviewStatus"], string> = {
  pending: "bg-slate-100 text-slate-700",
  approved: "bg-emerald-100 text-emerald-800",
  rejected: "bg-rose-100 text-rose-800",
  merged: "bg-violet-100 text-violet-800",
};

export function ReviewList({
  items,
  focusedId,
  selected,
  onFocus,
  onToggle,
}: {
  items: ReviewItem[];
  focusedId: string | null;
  selected: Set<string>;
  onFocus: (id: string) => void;
  onToggle: (id: string, range: boolean) => void;
}) {
  if (items.length === 0) {
    return <p className="px-4 py-10 text-center text-sm text-slate-500">Nothing to review with these filters.</p>;
  }
  return (
    <ul aria-label="Training examples" className="divide-y divide-slate-100">
      {items.map((item, index) => {
        const newGroup = index === 0 || items[index - 1]!.groupId !== item.groupId;
        const focused = item.id === focusedId;
        return (
          <li key={item.id}>
            {newGroup && (
              <div className="sticky top-0 z-10 border-y border-slate-200 bg-slate-50/95 px-3 py-1 text-[11px] text-slate-500">
                <span className="font-medium text-slate-700">{item.groupLabel ? `“${item.groupLabel.slice(0, 70)}${item.groupLabel.length > 70 ? "…" : ""}”` : "No prompt group"}</span>
                {item.groupNoCount !== null && <span className="ml-1 text-rose-700">· {item.groupNoCount} not useful</span>}
              </div>
            )}
            <div
              data-testid="review-item"
              data-id={item.id}
              aria-current={focused ? "true" : undefined}
              onClick={() => onFocus(item.id)}
              className={`flex cursor-pointer gap-2 px-3 py-2 ${focused ? "bg-indigo-50 shadow-[inset_3px_0_0_var(--color-indigo-600)]" : "hover:bg-slate-50"}`}
            >
              <input
                type="checkbox"
                aria-label="Select"
                checked={selected.has(item.id)}
                // Shift-click selects the range from the last one clicked.
                onClick={(event) => {
                  event.stopPropagation();
                  onToggle(item.id, event.shiftKey);
                }}
                onChange={() => {}}
                className="mt-1"
              />
              <div className="min-w-0 flex-1">
                <div className="flex flex-wrap items-center gap-1 text-[11px]">
                  <span className={`rounded px-1.5 py-px font-medium capitalize ${STATUS_STYLE[item.reviewStatus]}`}>{item.reviewStatus}</span>
                  {item.status === "needs_completion" && <span className="rounded bg-amber-100 px-1.5 py-px text-amber-900">needs a reply</span>}
                  {item.conflict && <span className="rounded bg-orange-100 px-1.5 py-px text-orange-900">conflict</span>}
                  {item.sameAs && <span className="rounded bg-slate-100 px-1.5 py-px text-slate-600">same as above</span>}
                  {item.clean.tooLong && <span className="rounded bg-rose-100 px-1.5 py-px text-rose-900">too long</span>}
                  {item.originalCompletion !== null && <span className="rounded bg-sky-100 px-1.5 py-px text-sky-900">edited</span>}
                  <span className="ml-auto text-slate-400">{item.agentName ?? ""}</span>
                </div>
                <p className="mt-0.5 line-clamp-2 text-sm text-slate-800">
                  <RedactedText text={item.clean.prompt} />
                </p>
                <p className="line-clamp-1 text-xs text-slate-500">
                  ↳ {item.clean.completion ? <RedactedText text={item.clean.completion} /> : <em>no usable reply</em>}
                </p>
              </div>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
