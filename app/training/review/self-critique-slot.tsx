import { FAILURE_CATEGORY_LABELS } from "@/lib/ai/failure-categories";
import type { ExampleDetail } from "@/lib/training/get-example-detail";

/** The AI's own explanation of this miss ("why my reply failed"), from the self-critique, redacted. */
export function SelfCritiqueSlot({ replayId, detail }: { replayId: string | null; detail: ExampleDetail | null }) {
  const analysis = detail?.analysis ?? null;
  let body: React.ReactNode;
  if (detail === null) body = <p className="mt-1 text-sm text-slate-500">Loading…</p>;
  else if (analysis === null || replayId === null) body = <p className="mt-1 text-sm text-slate-500">No analysis: this example did not come from a &ldquo;not useful&rdquo; replay.</p>;
  else if (analysis.status !== "done")
    body = (
      <p className="mt-1 text-sm text-slate-500">
        {analysis.status === "failed"
          ? "The analysis failed; it is retried by `npm run cli -- analyses retry` or the analyses cron."
          : "The AI is still analysing this miss."}
      </p>
    );
  else
    body = (
      <div className="mt-1 space-y-1 text-sm text-slate-700">
        {analysis.category && (
          <p>
            <span className="font-medium">{FAILURE_CATEGORY_LABELS[analysis.category]}</span>
            {analysis.agentCategory && analysis.agentCategory !== analysis.category && (
              <span className="text-slate-500"> · the agent says {FAILURE_CATEGORY_LABELS[analysis.agentCategory].toLowerCase()}</span>
            )}
          </p>
        )}
        {analysis.explanation && <p className="whitespace-pre-wrap">{analysis.explanation}</p>}
        {analysis.suggestedFix && <p className="whitespace-pre-wrap text-slate-600">Suggested fix: {analysis.suggestedFix}</p>}
      </div>
    );
  return (
    <section data-testid="self-critique-slot" data-replay-id={replayId ?? undefined} className="rounded-lg border border-slate-200 bg-white px-4 py-3">
      <h3 className="text-xs font-medium uppercase tracking-wide text-slate-500">AI&apos;s analysis of its miss</h3>
      {body}
    </section>
  );
}
