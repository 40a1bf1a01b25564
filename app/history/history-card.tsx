import { FAILURE_CATEGORY_DESCRIPTIONS, FAILURE_CATEGORY_LABELS } from "@/lib/ai/failure-categories";
import type { HistoryItem } from "@/lib/ai/list-replay-history";
import { CategoryCorrection } from "./category-correction";
import { RetryAnalysisButton } from "./retry-analysis-button";

const time = (iso: string) =>
  new Date(iso).toLocaleString("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone: "UTC" }) + " UTC";

function Analysis({ item }: { item: HistoryItem }) {
  const analysis = item.analysis;
  if (item.feedback !== "no" || !analysis) return null;
  const local = analysis.provider === "local";
  return (
    <section aria-label="Why the AI reply failed" data-testid="analysis" className="rounded-md border border-amber-200 bg-amber-50/60 p-3">
      <div className="flex flex-wrap items-center gap-2 text-xs">
        <h3 className="font-semibold text-amber-950">Why the AI reply failed</h3>
        {analysis.status === "done" && analysis.category && (
          <span
            data-testid="analysis-category"
            title={FAILURE_CATEGORY_DESCRIPTIONS[analysis.category]}
            className="rounded-full bg-amber-200/70 px-2 py-px font-medium text-amber-950"
          >
            {FAILURE_CATEGORY_LABELS[analysis.category]}
          </span>
        )}
        {analysis.status === "done" && (
          <span className="text-amber-900/70" title={local ? "A comparison of the two replies, made without a model" : "The model that analysed it"}>
            {local ? "local heuristic" : `by ${analysis.model}`}
          </span>
        )}
      </div>
      {analysis.status === "done" ? (
        <>
          <p className="mt-1.5 text-sm text-slate-800">{analysis.explanation}</p>
          <p className="mt-1 text-sm text-slate-700">
            <span className="font-medium">Fix: </span>
            {analysis.suggestedFix}
          </p>
        </>
      ) : analysis.status === "failed" ? (
        <div role="status" className="mt-1.5 space-y-1.5 text-sm text-rose-800">
          <p>
            The analysis failed{analysis.attempts > 1 ? ` (${analysis.attempts} attempts)` : ""}: {analysis.lastError} It is retried automatically; your feedback is saved either way.
          </p>
          <RetryAnalysisButton replayId={item.id} />
        </div>
      ) : (
        <p className="mt-1.5 text-sm text-slate-600">
          Analysing… usually ready within a minute. <RetryAnalysisButton replayId={item.id} label="Analyse now" />
        </p>
      )}
      <div className="mt-2.5 border-t border-amber-200/80 pt-2">
        <CategoryCorrection replayId={item.id} aiCategory={analysis.category} agentCategory={analysis.agentCategory} />
      </div>
    </section>
  );
}

export function HistoryCard({ item, showAgent }: { item: HistoryItem; showAgent: boolean }) {
  const useful = item.feedback === "yes";
  return (
    <article data-testid="history-item" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-center gap-2 text-xs text-slate-500">
        <span className={`rounded-full px-2 py-px font-medium ${useful ? "bg-emerald-50 text-emerald-800 ring-1 ring-emerald-200" : "bg-rose-50 text-rose-800 ring-1 ring-rose-200"}`}>
          {useful ? "Useful" : "Not useful"}
        </span>
        {item.topic && <span className="rounded bg-slate-100 px-1.5 py-px font-medium text-slate-700">{item.topic}</span>}
        {item.ticketId && <span>{item.ticketId}</span>}
        {showAgent && item.agentName && <span>· {item.agentName}</span>}
        <span className="ml-auto">{time(item.submittedAt)}</span>
      </div>
      <p className="whitespace-pre-wrap text-[15px] leading-relaxed text-slate-900">{item.message}</p>
      <div className="grid gap-3 md:grid-cols-2">
        <div className="rounded-md bg-slate-100/70 p-3">
          <p className="flex items-center gap-2 text-xs font-semibold text-slate-700">
            AI reply
            <span className="truncate font-normal text-slate-500">{item.model}</span>
            {item.modelProvider === "local" && <span className="rounded bg-teal-50 px-1.5 py-px font-medium text-teal-800 ring-1 ring-teal-200">Local</span>}
          </p>
          <p className="mt-1 whitespace-pre-wrap text-sm leading-relaxed text-slate-800">{item.aiReply}</p>
        </div>
        <div className="rounded-md border border-slate-200 p-3">
          <p className="text-xs font-semibold text-slate-700">{showAgent ? "Agent's reply" : "Your reply"}</p>
          <p className="mt-1 whitespace-pre-wrap text-sm leading-relaxed text-slate-800">
            {item.agentReply ?? <span className="italic text-slate-500">No reply given</span>}
          </p>
        </div>
      </div>
      <Analysis item={item} />
    </article>
  );
}
