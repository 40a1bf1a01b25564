"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { QueueItem } from "@/lib/feedback/list-queue";
import type { QueueQuery } from "@/lib/feedback/schemas";
import { submitFeedbackAction } from "./actions";
import { QueueFilters } from "./queue-filters";
import { QueueList } from "./queue-list";
import { ReplayEditor } from "./replay-editor";
import { useFreshSuggestion } from "./use-fresh-suggestion";
import { useLiveQueue } from "./use-live-queue";
import { useReplayDrafts } from "./use-replay-drafts";
import { useReplayReservation } from "./use-replay-reservation";
import { useReplayShortcuts } from "./use-replay-shortcuts";

type Banner = { tone: "error" | "info"; message: string; retry?: boolean } | null;

/** Another agent holds it: the queue skips it (j/k and the automatic pick pass over it). */
const takenByOther = (item: QueueItem) => Boolean(item.reservation && !item.reservation.mine);

export function ReplayWorkspace({
  initialQueue,
  topics,
  initialQuery,
  reservationSeconds,
}: {
  initialQueue: { items: QueueItem[]; total: number };
  topics: { topic: string; pending: number }[];
  initialQuery: QueueQuery;
  reservationSeconds: number;
}) {
  const [query, setQuery] = useState(initialQuery);
  const [selectedId, setSelectedId] = useState<string | null>(initialQueue.items.find((i) => !takenByOther(i))?.id ?? null);
  const [selectedKey, setSelectedKey] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<Banner>(null);
  const [done, setDone] = useState<Set<string>>(() => new Set());
  const replyRef = useRef<HTMLTextAreaElement>(null);
  const { getDraft, updateDraft, clearDraft } = useReplayDrafts();
  const { queue, offline, refresh, mode } = useLiveQueue({ initialQueue, query });

  // Replays submitted here disappear at once, before the next poll confirms it.
  // A fresh suggestion replaces the AI reply at once, before the next poll brings it from the server.
  const { fresh, request: requestFreshSuggestion } = useFreshSuggestion({
    // The verdict given so far was about the previous text: the agent judges the new one.
    onDone: (replayId) => updateDraft(replayId, { feedback: null }),
  });
  const items = useMemo(
    () =>
      queue.items
        .filter((i) => !done.has(i.id))
        .map((i) => {
          const f = fresh[i.id];
          return f?.status === "done" ? { ...i, aiReply: f.text, model: f.model ?? i.model, modelProvider: f.provider ?? i.modelProvider } : i;
        }),
    [queue.items, done, fresh],
  );
  const [lastSelected, setLastSelected] = useState<QueueItem | null>(null);
  const selected = items.find((i) => i.id === selectedId) ?? (lastSelected?.id === selectedId ? lastSelected : null);
  useEffect(() => {
    if (selected && selected !== lastSelected) setLastSelected(selected);
  }, [selected, lastSelected]);
  // Open the first free replay when nothing is open, or when the filters changed under the open one.
  // A replay that vanished on a poll (someone else closed it) stays open until the agent moves.
  useEffect(() => {
    const visible = items.some((i) => i.id === selectedId);
    if (!visible && (selectedId === null || selectedKey !== queue.key)) {
      setSelectedId(items.find((i) => !takenByOther(i))?.id ?? null);
      setSelectedKey(queue.key);
    }
  }, [items, selectedId, selectedKey, queue.key]);

  const takenBy = selected?.reservation && !selected.reservation.mine ? selected.reservation.name : null;
  const { hold: reservation, letGo } = useReplayReservation({ replayId: selectedId, seconds: reservationSeconds, takenBy });
  // What the editor says about the hold: the server's answer, or the queue's until it comes.
  const hold =
    reservation ?? (selected?.reservation && !selected.reservation.mine ? { status: "taken" as const, name: selected.reservation.name, until: selected.reservation.until } : null);

  const select = useCallback(
    (id: string | null) => {
      setSelectedId(id);
      setSelectedKey(queue.key);
      setFieldErrors({});
    },
    [queue.key],
  );

  // j/k pass over replays another agent holds; a click still opens one (to read it).
  const move = useCallback(
    (step: number) => {
      if (items.length === 0) return;
      const index = items.findIndex((i) => i.id === selectedId);
      for (let i = index + step; i >= 0 && i < items.length; i += step) {
        if (!takenByOther(items[i]!)) return select(items[i]!.id);
      }
    },
    [items, selectedId, select],
  );

  const submit = useCallback(async () => {
    if (!selected || submitting) return;
    const draft = getDraft(selected.id);
    if (hold?.status === "taken") {
      setFieldErrors({ feedback: `${hold.name} is on this replay. Press j for the next free one; your reply is kept here.` });
      return;
    }
    if (fresh[selected.id]?.status === "streaming") {
      setFieldErrors({ feedback: "A fresh suggestion is still being written. Judge it once it's done." });
      return;
    }
    if (!draft.feedback) {
      setFieldErrors({ feedback: "Mark the AI reply Useful (y) or Not useful (n) first." });
      return;
    }
    if (draft.feedback === "yes" && draft.agentReply.trim() === "") {
      setFieldErrors({ agentReply: "Type the reply you sent, or copy the AI reply into it." });
      replyRef.current?.focus();
      return;
    }
    // The same submissionId on every retry: the server recognises a submit that already landed.
    const submissionId = draft.submissionId ?? crypto.randomUUID();
    updateDraft(selected.id, { submissionId });
    setSubmitting(true);
    setFieldErrors({});
    try {
      const result = await submitFeedbackAction({ replayId: selected.id, submissionId, agentReply: draft.agentReply, feedback: draft.feedback });
      if (result.ok || result.code === "already_submitted") {
        if (result.ok) clearDraft(selected.id);
        const index = items.findIndex((i) => i.id === selected.id);
        const rest = items.filter((i) => i.id !== selected.id);
        setDone((prev) => new Set(prev).add(selected.id));
        const after = [...rest.slice(Math.max(index, 0)), ...rest.slice(0, Math.max(index, 0)).reverse()];
        select(after.find((i) => !takenByOther(i))?.id ?? null);
        setBanner(
          result.ok
            ? { tone: "info", message: result.trainingExampleId ? (result.needsCompletion ? "Saved. Kept as a miss that still needs a better reply." : "Saved. Your reply is now a training example.") : "Saved." }
            : { tone: "error", message: result.message },
        );
      } else if (result.fieldErrors) {
        setFieldErrors(result.fieldErrors);
        setBanner(null);
      } else {
        // "reserved" already says the reply is kept.
        if (result.code === "reserved") setBanner({ tone: "error", message: result.message });
        else setBanner({ tone: "error", message: `${result.message} Your reply is kept in this browser.`, retry: result.code !== "unauthenticated" });
      }
    } catch {
      setBanner({ tone: "error", message: "Couldn't reach the server. Your reply is kept in this browser; retry when it's back.", retry: true });
    } finally {
      setSubmitting(false);
    }
  }, [selected, submitting, getDraft, updateDraft, clearDraft, items, select, fresh, hold]);

  // "Let go" (u): the replay goes back to everyone, and the next free one opens.
  const letGoAndMove = useCallback(() => {
    if (!selected || hold?.status !== "mine") return;
    void letGo();
    const index = items.findIndex((i) => i.id === selected.id);
    const next = [...items.slice(index + 1), ...items.slice(0, index)].find((i) => !takenByOther(i));
    if (next) select(next.id);
  }, [selected, hold, letGo, items, select]);

  const copyAiReply = useCallback(() => {
    if (!selected) return;
    const current = getDraft(selected.id).agentReply;
    if (current.trim() && !window.confirm("Replace your reply with the AI suggestion?")) return;
    updateDraft(selected.id, { agentReply: selected.aiReply });
    replyRef.current?.focus();
  }, [selected, getDraft, updateDraft]);

  useReplayShortcuts({
    onMark: (feedback) => selected && updateDraft(selected.id, { feedback }),
    onMove: move,
    onSubmit: () => void submit(),
    onCopy: copyAiReply,
    onFocusReply: () => replyRef.current?.focus(),
    onRefreshSuggestion: () => selected && void requestFreshSuggestion(selected.id),
    onLetGo: letGoAndMove,
  });

  return (
    <div data-testid="replay-workspace" data-live={mode} className="mx-auto grid h-[calc(100vh-3rem)] max-w-[1600px] grid-cols-[320px_1fr]">
      <aside className="flex min-h-0 flex-col border-r border-slate-200 bg-white">
        <QueueFilters query={query} topics={topics} total={Math.max(0, queue.total - done.size)} onChange={setQuery} />
        <div className="min-h-0 flex-1 overflow-y-auto">
          <QueueList items={items} selectedId={selectedId} onSelect={select} hasDraft={(id) => getDraft(id).agentReply.trim() !== ""} />
        </div>
        <p data-testid="live-mode" className="border-t border-slate-100 px-4 py-2 text-[11px] text-slate-400">
          {mode === "push" ? "Live: new replays appear as they arrive." : "Checking for new replays every 5 seconds."}
        </p>
      </aside>
      <main className="min-h-0 overflow-y-auto p-6">
        {(banner || offline) && (
          <div
            data-testid="banner"
            role={banner?.tone === "error" || offline ? "alert" : "status"}
            className={`mb-4 flex items-center gap-3 rounded-md border px-3 py-2 text-sm ${
              banner?.tone === "info" && !offline ? "border-emerald-200 bg-emerald-50 text-emerald-900" : "border-rose-200 bg-rose-50 text-rose-900"
            }`}
          >
            <span>{offline ? "The server is not answering; new replays will appear when it is back. Your replies are kept in this browser." : banner?.message}</span>
            {(offline || banner?.retry) && (
              <button type="button" onClick={() => (offline ? void refresh() : void submit())} className="ml-auto rounded border border-current px-2 py-0.5 font-medium">
                Retry
              </button>
            )}
          </div>
        )}
        {selected ? (
          <ReplayEditor
            key={selected.id}
            item={selected}
            hold={hold}
            onLetGo={letGoAndMove}
            fresh={fresh[selected.id]}
            onRefreshSuggestion={() => void requestFreshSuggestion(selected.id)}
            draft={getDraft(selected.id)}
            submitting={submitting}
            fieldErrors={fieldErrors}
            replyRef={replyRef}
            onChange={(change) => {
              updateDraft(selected.id, change);
              setFieldErrors({});
            }}
            onCopyAiReply={copyAiReply}
            onSubmit={() => void submit()}
          />
        ) : (
          <div className="grid h-full place-items-center text-center text-slate-500">
            <div>
              <p className="text-lg font-medium text-slate-700">All caught up</p>
              <p className="mt-1 text-sm">
                {items.length > 0
                  ? `The ${items.length === 1 ? "replay left is" : `${items.length} replays left are`} being worked by other agents.`
                  : "New replays appear in the queue as the helpdesk sends them."}
              </p>
            </div>
          </div>
        )}
        <p className="mt-6 text-xs text-slate-400">
          <kbd>j</kbd>/<kbd>k</kbd> next/previous · <kbd>y</kbd>/<kbd>n</kbd> useful/not useful · <kbd>c</kbd> copy AI reply · <kbd>r</kbd> fresh suggestion · <kbd>e</kbd> edit reply · <kbd>u</kbd> let go · <kbd>Esc</kbd> leave the reply box · <kbd>Ctrl</kbd>+<kbd>Enter</kbd> submit
        </p>
      </main>
    </div>
  );
}
