"use client";

import type { RefObject } from "react";
import type { QueueItem } from "@/lib/feedback/list-queue";
import { MAX_TEXT } from "@/lib/feedback/schemas";
import type { Draft } from "./use-replay-drafts";
import type { FreshSuggestion } from "./use-fresh-suggestion";
import type { Hold } from "./use-replay-reservation";

type Props = {
  item: QueueItem;
  hold: Hold;
  onLetGo: () => void;
  fresh: FreshSuggestion | undefined;
  onRefreshSuggestion: () => void;
  draft: Draft;
  submitting: boolean;
  fieldErrors: Record<string, string>;
  replyRef: RefObject<HTMLTextAreaElement | null>;
  onChange: (change: Partial<Draft>) => void;
  onCopyAiReply: () => void;
  onSubmit: () => void;
};

const clock = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: "numeric", minute: "2-digit" });

/** Whose replay this is right now: the agent's own (with "Let go"), another agent's, or let go. */
function HoldLine({ hold, onLetGo }: { hold: Hold; onLetGo: () => void }) {
  if (!hold) return null;
  if (hold.status === "taken") {
    return (
      <p data-testid="reserved-by-other" role="status" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
        <strong className="font-semibold">{hold.name} is on this</strong>
        <span suppressHydrationWarning> until {clock(hold.until)}</span>. The queue skips it; press <kbd>j</kbd> for the next free replay.
      </p>
    );
  }
  return (
    <p data-testid="reservation" className="flex items-center gap-2 text-xs text-slate-500">
      {hold.status === "mine" ? (
        <>
          <span suppressHydrationWarning>Yours until {clock(hold.until)}: other agents see you are on it, and it stays yours while this replay is open.</span>
          <button type="button" onClick={onLetGo} className="ml-auto rounded px-1.5 py-0.5 font-medium text-slate-600 hover:bg-slate-100 hover:text-slate-900">
            Let go <kbd>u</kbd>
          </button>
        </>
      ) : (
        <span>You let go of this replay: it is back in the queue for everyone.</span>
      )}
    </p>
  );
}

const verdictClass = (active: boolean, tone: "yes" | "no") =>
  `inline-flex items-center gap-2 rounded-md border px-3 py-1.5 text-sm font-medium transition-colors ${
    active
      ? tone === "yes"
        ? "border-emerald-600 bg-emerald-600 text-white"
        : "border-rose-600 bg-rose-600 text-white"
      : "border-slate-300 bg-white text-slate-700 hover:bg-slate-50"
  }`;

function ModelBadge({ model, provider }: { model: string; provider: "local" | "openai" | null | undefined }) {
  return (
    <span className="mt-1 flex min-w-0 items-center gap-1.5 text-[11px]">
      <span className="truncate rounded bg-white px-1.5 py-px text-slate-500" title="The model version that wrote this suggestion">{model}</span>
      {provider === "local" && (
        <span
          data-testid="local-model"
          className="shrink-0 rounded bg-teal-50 px-1.5 py-px font-medium text-teal-800 ring-1 ring-teal-200"
          title="Local model: the reply your team sent to the most similar past message, found in this app's database. Nothing was sent to an AI provider."
        >
          Local
        </span>
      )}
    </span>
  );
}

export function ReplayEditor({ item, hold, onLetGo, fresh, onRefreshSuggestion, draft, submitting, fieldErrors, replyRef, onChange, onCopyAiReply, onSubmit }: Props) {
  const streaming = fresh?.status === "streaming";
  // While a fresh suggestion is written it replaces the card's text; a failed one leaves the old.
  const aiText = streaming ? fresh.text : item.aiReply;
  const model = streaming ? (fresh.model ?? item.model) : item.model;
  const provider = streaming ? (fresh.provider ?? item.modelProvider) : item.modelProvider;
  const missingReply = draft.feedback === "no" && draft.agentReply.trim() === "";
  return (
    <form
      className="flex flex-col gap-4"
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      <HoldLine hold={hold} onLetGo={onLetGo} />
      <section aria-labelledby="customer-message" className="rounded-lg border border-slate-200 bg-white p-4">
        <div className="flex items-center gap-2 text-xs text-slate-500">
          <h2 id="customer-message" className="font-semibold uppercase tracking-wide text-slate-600">Customer message</h2>
          {item.ticketId && <span>· {item.ticketId}</span>}
          {item.topic && <span>· {item.topic}</span>}
          <span className="ml-auto" suppressHydrationWarning>{new Date(item.createdAt).toLocaleString()}</span>
        </div>
        <p className="mt-2 whitespace-pre-wrap text-[15px] leading-relaxed text-slate-900">{item.message}</p>
      </section>

      <div className="grid gap-4 lg:grid-cols-2">
        <section aria-labelledby="ai-reply" className="flex flex-col rounded-lg border border-slate-200 bg-slate-100/60 p-4">
          <div className="flex items-center gap-2">
            <h2 id="ai-reply" className="text-sm font-semibold text-slate-800">AI Suggested Reply</h2>
            <button
              type="button"
              onClick={onRefreshSuggestion}
              disabled={streaming}
              className="ml-auto shrink-0 rounded-md px-1.5 py-0.5 text-xs font-medium text-slate-600 hover:bg-white hover:text-slate-900 disabled:opacity-60"
              title="Ask the active model again; it uses your team's latest corrections"
            >
              {streaming ? "Writing…" : "Fresh suggestion"} <kbd>r</kbd>
            </button>
          </div>
          <ModelBadge model={model} provider={provider} />
          <p data-testid="ai-reply" aria-live="polite" aria-busy={streaming} className="mt-2 min-h-16 flex-1 whitespace-pre-wrap text-sm leading-relaxed text-slate-800">
            {aiText}
            {streaming && <span aria-hidden className="ml-0.5 inline-block h-4 w-1.5 translate-y-0.5 animate-pulse rounded-sm bg-slate-400" />}
          </p>
          {fresh?.status === "error" && (
            <p role="alert" data-testid="fresh-suggestion-error" className="mt-2 text-xs text-rose-700">
              No fresh suggestion: {fresh.error} The reply above is unchanged.
            </p>
          )}
          {fresh?.status === "done" && draft.feedback === null && (
            <p className="mt-2 text-xs text-slate-500">Fresh suggestion. Is it useful? <kbd>y</kbd> / <kbd>n</kbd></p>
          )}
          <button type="button" onClick={onCopyAiReply} disabled={streaming} className="mt-3 self-start text-sm font-medium text-indigo-700 hover:underline disabled:opacity-60">
            Copy AI reply into my reply <kbd>c</kbd>
          </button>
        </section>

        <section className="flex flex-col rounded-lg border border-slate-200 bg-white p-4">
          <label htmlFor="agent-reply" className="text-sm font-semibold text-slate-800">Agent Final Reply</label>
          <textarea
            id="agent-reply"
            ref={replyRef}
            value={draft.agentReply}
            maxLength={MAX_TEXT}
            onChange={(e) => onChange({ agentReply: e.target.value })}
            placeholder="The reply you sent, or a better one than the AI's."
            aria-invalid={fieldErrors.agentReply ? true : undefined}
            aria-describedby="agent-reply-help"
            className={`mt-2 min-h-48 flex-1 resize-y rounded-md border p-3 text-sm leading-relaxed outline-none focus:ring-2 ${
              fieldErrors.agentReply ? "border-rose-400 focus:ring-rose-200" : "border-slate-300 focus:border-indigo-500 focus:ring-indigo-100"
            }`}
          />
          <p id="agent-reply-help" className={`mt-1 text-xs ${fieldErrors.agentReply ? "text-rose-700" : "text-slate-500"}`}>
            {fieldErrors.agentReply ??
              (missingReply
                ? "Without your better reply this miss can't become training data; it will wait for a completion."
                : "Saved in this browser as you type. Esc leaves the box so the shortcuts work.")}
          </p>
        </section>
      </div>

      <div className="flex flex-wrap items-center gap-3 rounded-lg border border-slate-200 bg-white px-4 py-3">
        <span className="text-sm text-slate-600">Was the AI suggestion useful?</span>
        <div role="radiogroup" aria-label="Was the AI suggestion useful?" className="flex gap-2">
          <button type="button" role="radio" aria-checked={draft.feedback === "yes"} onClick={() => onChange({ feedback: "yes" })} className={verdictClass(draft.feedback === "yes", "yes")}>
            Useful <kbd>y</kbd>
          </button>
          <button type="button" role="radio" aria-checked={draft.feedback === "no"} onClick={() => onChange({ feedback: "no" })} className={verdictClass(draft.feedback === "no", "no")}>
            Not useful <kbd>n</kbd>
          </button>
        </div>
        {fieldErrors.feedback && <span role="alert" className="text-sm text-rose-700">{fieldErrors.feedback}</span>}
        <button
          type="submit"
          disabled={submitting || hold?.status === "taken"}
          className="ml-auto inline-flex items-center gap-2 rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-700 disabled:opacity-60"
        >
          {submitting ? "Submitting…" : "Submit Feedback"} <kbd className="!border-indigo-400 !bg-indigo-500 !text-white">Ctrl ↵</kbd>
        </button>
      </div>
    </form>
  );
}
