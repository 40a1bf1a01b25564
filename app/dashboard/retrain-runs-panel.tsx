import type { RetrainRunRow } from "@/lib/analytics/list-retrain-runs";
import { EmptyChart } from "./chart-card";
import { count } from "./chart-format";

const DECISION_STYLE: Record<string, string> = {
  promoted: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  rolled_back: "bg-amber-50 text-amber-800 ring-amber-200",
  discarded: "bg-slate-100 text-slate-700 ring-slate-200",
  pending: "bg-indigo-50 text-indigo-800 ring-indigo-200",
};
const score = (v: number | null) => (v === null ? "–" : v.toFixed(3));

/** Every retrain run in the range: target, status, dataset, candidate against the active version (overall, per question group), the decision. */
export function RetrainRunsPanel({ data }: { data: RetrainRunRow[] }) {
  if (data.length === 0) return <EmptyChart>No retrain ran in this range. It runs weekly when scheduled, or from /retrain with &ldquo;Run now&rdquo;.</EmptyChart>;
  return (
    <ol className="h-full space-y-1.5 overflow-auto pr-1 text-sm">
      {data.map((r) => {
        const better = r.candidateScore !== null && r.baselineScore !== null && r.candidateScore > r.baselineScore;
        return (
          <li key={r.id} data-testid="dashboard-run" className="grid grid-cols-[7rem_minmax(0,1fr)_auto] items-baseline gap-x-3 rounded-md px-2 py-1.5 odd:bg-slate-50/70">
            <a href={`/retrain#run-${r.id}`} className="font-medium tabular-nums text-indigo-700 hover:underline">
              {r.isoWeek}
            </a>
            <span className="min-w-0 truncate text-slate-700">
              {r.target} · {r.status}
              {r.datasetId && (
                <>
                  {" · "}
                  <a href={`/training/datasets#dataset-${r.datasetId}`} className="text-indigo-700 hover:underline">
                    dataset of {count(r.datasetExamples ?? 0)} {r.datasetFormat === "dpo" ? "preference pairs" : "examples"}
                  </a>
                </>
              )}
              {r.candidateScore !== null && (
                <span className="text-slate-500">
                  {" · "}
                  {r.candidate} <span className={better ? "font-medium text-emerald-700" : "font-medium text-rose-700"}>{score(r.candidateScore)}</span> vs {r.baseline} {score(r.baselineScore)}
                  {r.groupsBetter !== null && ` · groups ${r.groupsBetter} better, ${r.groupsWorse} worse, ${r.groupsEven} even`}
                </span>
              )}
            </span>
            <span className={`rounded-full px-2 py-px text-[11px] font-medium ring-1 ${DECISION_STYLE[r.decision ?? ""] ?? "bg-white text-slate-500 ring-slate-200"}`}>
              {r.decision ? r.decision.replace("_", " ") : "no evaluation"}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
