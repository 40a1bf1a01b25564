"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState, useTransition } from "react";
import type { ReviewItem } from "@/lib/training/list-review-queue";
import type { ReviewQuery } from "@/lib/training/schemas";
import { editCompletionAction, mergeExamplesAction, reviewExamplesAction, type ActionResult } from "./actions";
import { ReviewDetail } from "./review-detail";
import { ReviewFilters } from "./review-filters";
import { ReviewList } from "./review-list";
import { useReviewShortcuts } from "./use-review-shortcuts";

type Banner = { tone: "info" | "error"; message: string } | null;
const VERB = { approve: "Approved", reject: "Rejected", reopen: "Reopened" } as const;

export function ReviewWorkspace({
  items,
  total,
  query,
  windowDays,
  threshold,
  maxTokens,
}: {
  items: ReviewItem[];
  total: number;
  query: ReviewQuery;
  windowDays: number;
  threshold: number;
  maxTokens: number;
}) {
  const router = useRouter();
  const [refreshing, startRefresh] = useTransition();
  const [focusedId, setFocusedId] = useState<string | null>(items[0]?.id ?? null);
  const [selected, setSelected] = useState<Set<string>>(() => new Set());
  const [anchor, setAnchor] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [showOriginal, setShowOriginal] = useState(false);
  const [busy, setBusy] = useState(false);
  const [banner, setBanner] = useState<Banner>(null);
  const editorRef = useRef<HTMLTextAreaElement>(null);
  const lastIndex = useRef(0);

  // After a refresh the decided examples may have left the list: keep the place, drop stale ids.
  const ids = useMemo(() => new Set(items.map((i) => i.id)), [items]);
  useEffect(() => {
    setSelected((prev) => {
      const next = new Set([...prev].filter((id) => ids.has(id)));
      return next.size === prev.size ? prev : next;
    });
    if (focusedId === null || !ids.has(focusedId)) setFocusedId(items[Math.min(lastIndex.current, items.length - 1)]?.id ?? null);
  }, [ids, items, focusedId]);
  const focusedIndex = items.findIndex((i) => i.id === focusedId);
  if (focusedIndex >= 0) lastIndex.current = focusedIndex;
  const focused = focusedIndex >= 0 ? items[focusedIndex]! : null;

  const focus = useCallback((id: string) => {
    setFocusedId(id);
    setEditing(false);
  }, []);

  const move = (step: number) => {
    const next = items[Math.min(items.length - 1, Math.max(0, focusedIndex + step))];
    if (next) focus(next.id);
    document.querySelector(`[data-id="${next?.id}"]`)?.scrollIntoView({ block: "nearest" });
  };

  const toggle = (id: string, range: boolean) => {
    setSelected((prev) => {
      const next = new Set(prev);
      if (range && anchor) {
        const ends = [items.findIndex((i) => i.id === anchor), items.findIndex((i) => i.id === id)];
        for (const item of items.slice(Math.min(...ends), Math.max(...ends) + 1)) next.add(item.id);
      } else if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
    setAnchor(id);
  };

  const finish = (result: ActionResult, describe: (changed: number) => string) => {
    if (!result.ok) {
      setBanner({ tone: "error", message: result.message });
      return;
    }
    const skipped = result.skipped ? ` ${result.skipped} skipped: already decided by someone, or they need a usable reply first.` : "";
    setBanner({ tone: result.changed || !result.skipped ? "info" : "error", message: `${describe(result.changed)}.${skipped}` });
    setSelected(new Set());
    startRefresh(() => router.refresh());
  };

  const run = async (work: () => Promise<ActionResult>, describe: (changed: number) => string) => {
    if (busy) return;
    setBusy(true);
    try {
      finish(await work(), describe);
    } catch {
      setBanner({ tone: "error", message: "Couldn't reach the server. Nothing was changed; try again." });
    } finally {
      setBusy(false);
    }
  };

  const targets = () => (selected.size > 0 ? [...selected] : focused ? [focused.id] : []);
  const plural = (n: number) => `${n} example${n === 1 ? "" : "s"}`;

  const decide = (decision: "approve" | "reject" | "reopen") => {
    const ids = targets();
    if (ids.length) void run(() => reviewExamplesAction({ ids, decision }), (n) => `${VERB[decision]} ${plural(n)}`);
  };
  const merge = () => {
    const ids = [...selected].filter((id) => id !== focused?.id);
    if (!focused || ids.length === 0) {
      setBanner({ tone: "error", message: "Select the duplicates (x), then focus the example to keep and press m." });
      return;
    }
    void run(() => mergeExamplesAction({ ids, into: focused.id }), (n) => `Merged ${plural(n)} into the focused one`);
  };
  const save = (completion: string) => {
    if (!focused) return;
    void run(
      () => editCompletionAction({ id: focused.id, completion }),
      () => "Saved your reply and approved the example",
    ).then(() => setEditing(false));
  };

  useReviewShortcuts({
    onMove: move,
    onToggle: () => focused && toggle(focused.id, false),
    onSelectAll: () => setSelected(new Set(items.map((i) => i.id))),
    onClear: () => (editing ? setEditing(false) : setSelected(new Set())),
    onDecide: decide,
    onEdit: () => focused && focused.reviewStatus !== "rejected" && focused.reviewStatus !== "merged" && setEditing(true),
    onMerge: merge,
    onToggleOriginal: () => setShowOriginal((v) => !v),
  });

  const allSelected = items.length > 0 && selected.size === items.length;
  const count = selected.size || (focused ? 1 : 0);
  const button = "rounded-md border px-2.5 py-1 text-xs font-medium disabled:opacity-50";

  return (
    <div className="grid h-[calc(100vh-6.5rem)] grid-cols-[minmax(400px,40%)_1fr] gap-0">
      <aside className="flex min-h-0 flex-col border-r border-slate-200 bg-white">
        <ReviewFilters query={query} total={total} shown={items.length} />
        <div className="flex flex-wrap items-center gap-1.5 border-b border-slate-200 bg-slate-50 px-3 py-2" data-testid="bulk-bar">
          <label className="mr-1 flex items-center gap-1 text-xs text-slate-600">
            <input
              type="checkbox"
              aria-label="Select all shown"
              checked={allSelected}
              onChange={() => setSelected(allSelected ? new Set() : new Set(items.map((i) => i.id)))}
            />
            {selected.size ? `${selected.size} selected` : "Select all"}
          </label>
          <button type="button" disabled={busy || !count} onClick={() => decide("approve")} className={`${button} border-emerald-300 bg-emerald-600 text-white hover:bg-emerald-700`}>
            Approve{selected.size ? ` ${selected.size}` : ""} <kbd className="ml-0.5">a</kbd>
          </button>
          <button type="button" disabled={busy || !count} onClick={() => decide("reject")} className={`${button} border-rose-300 bg-white text-rose-700 hover:bg-rose-50`}>
            Reject <kbd className="ml-0.5">r</kbd>
          </button>
          <button type="button" disabled={busy || selected.size === 0} onClick={merge} className={`${button} border-violet-300 bg-white text-violet-700 hover:bg-violet-50`} title="Merge the selected duplicates into the focused example, which is kept">
            Merge <kbd className="ml-0.5">m</kbd>
          </button>
          <button type="button" disabled={busy || !count} onClick={() => decide("reopen")} className={`${button} border-slate-300 bg-white text-slate-700 hover:bg-slate-100`}>
            Reopen <kbd className="ml-0.5">u</kbd>
          </button>
          {(busy || refreshing) && <span className="text-xs text-slate-500">Working…</span>}
        </div>
        <div className="min-h-0 flex-1 overflow-y-auto">
          <ReviewList items={items} focusedId={focusedId} selected={selected} onFocus={focus} onToggle={toggle} />
        </div>
      </aside>
      <main className="min-h-0 overflow-y-auto bg-slate-50 p-5">
        {banner && (
          <div
            data-testid="review-banner"
            role={banner.tone === "error" ? "alert" : "status"}
            className={`mb-3 flex items-center gap-3 rounded-md border px-3 py-2 text-sm ${
              banner.tone === "info" ? "border-emerald-200 bg-emerald-50 text-emerald-900" : "border-rose-200 bg-rose-50 text-rose-900"
            }`}
          >
            <span>{banner.message}</span>
            <button type="button" onClick={() => setBanner(null)} className="ml-auto text-xs opacity-70 hover:opacity-100" aria-label="Dismiss">
              ✕
            </button>
          </div>
        )}
        {focused ? (
          <ReviewDetail
            item={focused}
            showOriginal={showOriginal}
            editing={editing}
            busy={busy}
            maxTokens={maxTokens}
            editorRef={editorRef}
            onSave={save}
            onCancelEdit={() => setEditing(false)}
            onStartEdit={() => setEditing(true)}
            onToggleOriginal={() => setShowOriginal((v) => !v)}
          />
        ) : (
          <div className="grid h-full place-items-center text-center text-slate-500">
            <div>
              <p className="text-lg font-medium text-slate-700">Nothing to review here</p>
              <p className="mt-1 text-sm">
                Examples come from questions with more than {threshold} &ldquo;not useful&rdquo; in the last {windowDays} days.
              </p>
            </div>
          </div>
        )}
        <p className="mt-6 text-xs text-slate-400">
          <kbd>j</kbd>/<kbd>k</kbd> next/previous · <kbd>x</kbd> select · <kbd>Shift</kbd>+<kbd>x</kbd> select all · <kbd>Esc</kbd> clear ·{" "}
          <kbd>a</kbd> approve · <kbd>r</kbd> reject · <kbd>e</kbd> edit · <kbd>m</kbd> merge selection into focused · <kbd>u</kbd> reopen ·{" "}
          <kbd>o</kbd> original/redacted
        </p>
      </main>
    </div>
  );
}
