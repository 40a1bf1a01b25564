import { FAILURE_CATEGORY_LABELS } from "@/lib/ai/failure-categories";
import type { ExampleDetail } from "@/lib/training/get-example-detail";
import { CategoryCorrection } from "../../history/category-correction";
import { RetryAnalysisButton } from "../../history/retry-analysis-button";

/**
 * The AI's own explanation of this miss ("why my reply failed"), from the self-critique, redacted:
 * its category, explanation and suggested fix, the agent's correction of the category (a manager
 * may set it here too), and while it is pending or failed, a button that runs it now.
 */
export function SelfCritiqueSlot({ replayId, detail, onChanged }: { replayId: string | null; detail: ExampleDetail | null; onChanged: () => void }) {
  const analysis = detail?.analysis ?? null;
  let body: React.ReactNode;
  if (detail === null) body = <p className="mt-1 text-sm text-slate-500">Loading…</p>;
  else if (analysis === null || replayId === null) body = <p className="mt-1 text-sm text-slate-500">No analysis: this example did not come from a &ldquo;not useful&rdquo; replay.</p>;
  else if (analysis.status === "failed")
    body = (
      <div role="status" data-analysis-status="failed" className="mt-1 space-y-1.5 text-sm text-rose-800">
        <p>
          The analysis failed{analysis.attempts > 1 ? ` after ${analysis.attempts} attempts` : ""}{analysis.lastError ? `: ${analysis.lastError}` : "."} It is also retried automatically.
        </p>
        <RetryAnalysisButton replayId={replayId} onDone={onChanged} />
      </div>
    );
  else if (analysis.status !== "done")
    body = (
      <p data-analysis-status={analysis.status} className="mt-1 text-sm text-slate-500">
        The AI is still analysing this miss (usually within a minute). <RetryAnalysisButton replayId={replayId} label="Analyse now" onDone={onChanged} />
      </p>
    );
  else
    body = (
      <div data-analysis-status="done" className="mt-1 space-y-1.5 text-sm text-slate-700">
        {analysis.category && (
          <p>
            <span className="font-medium" data-testid="analysis-category">{FAILURE_CATEGORY_LABELS[analysis.category]}</span>
            <span className="text-slate-500" data-testid="analysis-agent-category">
              {" · "}
              {analysis.agentCategory === null
                ? "no agent has checked the category yet"
                : analysis.agentCategory === analysis.category
                  ? "the agent agreed"
                  : `the agent corrected it to ${FAILURE_CATEGORY_LABELS[analysis.agentCategory].toLowerCase()}`}
            </span>
          </p>
        )}
        {analysis.explanation && <p className="whitespace-pre-wrap">{analysis.explanation}</p>}
        {analysis.suggestedFix && (
          <p className="whitespace-pre-wrap text-slate-600">
            <span className="font-medium">Suggested fix: </span>
            {analysis.suggestedFix}
          </p>
        )}
        <CategoryCorrection key={`${replayId}:${analysis.agentCategory ?? ""}`} replayId={replayId} aiCategory={analysis.category} agentCategory={analysis.agentCategory} />
      </div>
    );
  return (
    <section data-testid="self-critique-slot" data-replay-id={replayId ?? undefined} className="rounded-lg border border-slate-200 bg-white px-4 py-3">
      <h3 className="text-xs font-medium uppercase tracking-wide text-slate-500">AI&apos;s analysis of its miss</h3>
      {body}
    </section>
  );
}
