import type { Summary } from "@/lib/analytics/get-summary";
import { count, percent } from "./chart-format";

function Delta({ now, before }: { now: number | null; before: number | null }) {
  if (now === null || before === null) return <span className="text-slate-400">no earlier data to compare</span>;
  const points = (now - before) * 100;
  if (Math.abs(points) < 0.5) return <span className="text-slate-500">about the same as the previous period</span>;
  const better = points > 0;
  return (
    <span className={better ? "text-emerald-700" : "text-rose-700"}>
      {better ? "▲" : "▼"} {Math.abs(points).toFixed(1)} points vs the previous period
    </span>
  );
}

/** The headline figures, each against the equally long period before the range. */
export function SummaryStrip({ summary }: { summary: Summary }) {
  const { current: c, previous: p } = summary;
  const tile = "rounded-lg border border-slate-200 bg-white px-4 py-3";
  return (
    <section aria-label="Summary" data-testid="panel-summary" className="grid grid-cols-2 gap-3 lg:grid-cols-5">
      <div className={`${tile} col-span-2 lg:col-span-1`}>
        <p className="text-xs text-slate-500">AI suggestions marked useful</p>
        <p data-testid="useful-rate" className="text-2xl font-semibold tabular-nums">{percent(c.usefulRate, 1)}</p>
        <p className="text-xs"><Delta now={c.usefulRate} before={p.usefulRate} /></p>
      </div>
      <div className={tile}>
        <p className="text-xs text-slate-500">Sent unchanged</p>
        <p className="text-2xl font-semibold tabular-nums">{percent(c.unchangedShare, 1)}</p>
        <p className="text-xs"><Delta now={c.unchangedShare} before={p.unchangedShare} /></p>
      </div>
      <div className={tile}>
        <p className="text-xs text-slate-500">Replays</p>
        <p className="text-2xl font-semibold tabular-nums">{count(c.replays)}</p>
        <p className="text-xs text-slate-500">{count(p.replays)} in the previous period</p>
      </div>
      <div className={tile}>
        <p className="text-xs text-slate-500">Feedback submitted</p>
        <p className="text-2xl font-semibold tabular-nums">{count(c.submitted)}</p>
        <p className="text-xs text-slate-500">{count(c.useful)} useful · {count(c.submitted - c.useful)} not</p>
      </div>
      <div className={tile}>
        <p className="text-xs text-slate-500">Pending in queue</p>
        <p className="text-2xl font-semibold tabular-nums">{count(c.pending)}</p>
        <p className="text-xs text-slate-500">of the replays in this range</p>
      </div>
    </section>
  );
}
