import Link from "next/link";
import { FAILURE_CATEGORY_LABELS } from "@/lib/ai/failure-categories";
import type { FailureCategories } from "@/lib/analytics/get-failure-categories";
import { replaysHref } from "@/lib/analytics/replays-href";
import type { DashboardFilters } from "@/lib/analytics/schemas";
import { LazyChart } from "./chart-card";
import { count, percent } from "./chart-format";
import { FailureChart } from "./failure-chart";

/**
 * Why the AI failed: categories over time beside the agreement figure and the newest explanation
 * of each top category. Explanations and fixes are model output (redacted): rendered as text only.
 */
export function FailurePanel({ data, filters }: { data: FailureCategories; filters: DashboardFilters }) {
  const { total } = data;
  return (
    <div className="grid h-full gap-4 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
      <div className="min-h-0">
        <LazyChart>
          <FailureChart data={data} />
        </LazyChart>
      </div>
      <div className="flex min-h-0 flex-col gap-2 overflow-auto pr-1 text-sm">
        <p data-testid="failure-agreement" className="text-slate-700">
          <Link prefetch={false} href={replaysHref(filters, { feedback: "no", agreement: "agreed" })} className="text-lg font-semibold tabular-nums text-indigo-700 hover:underline">
            {percent(total.agreementRate)}
          </Link>{" "}
          agreement: agents kept the AI&apos;s category in{" "}
          <Link prefetch={false} href={replaysHref(filters, { feedback: "no", agreement: "agreed" })} className="font-medium text-indigo-700 hover:underline">
            {count(total.agreed)}
          </Link>{" "}
          of the{" "}
          <Link prefetch={false} href={replaysHref(filters, { feedback: "no", agreement: "rated" })} className="font-medium text-indigo-700 hover:underline">
            {count(total.rated)}
          </Link>{" "}
          analyses they rated; {count(total.analyses)} in all.
        </p>
        {data.latest.length > 0 && <h3 className="text-xs font-medium uppercase tracking-wide text-slate-500">Newest explanation per top category</h3>}
        <ul className="space-y-1.5">
          {data.latest.map((e) => {
            const figures = data.categories.find((c) => c.category === e.category)!;
            return (
              <li key={e.category} data-testid="failure-explanation" className="rounded-md border border-slate-100 bg-slate-50/70 px-2.5 py-1">
                <p className="flex items-baseline justify-between gap-2">
                  <span className="font-medium text-slate-800">{FAILURE_CATEGORY_LABELS[e.category]}</span>
                  <Link prefetch={false} href={replaysHref(filters, { feedback: "no", category: e.category })} className="shrink-0 text-xs font-medium text-indigo-700 hover:underline">
                    {count(figures.analyses)} replays
                  </Link>
                </p>
                <p className="line-clamp-2 text-xs text-slate-700" title={e.explanation}>{e.explanation}</p>
                {e.suggestedFix && <p className="truncate text-xs text-slate-500" title={e.suggestedFix}>Fix: {e.suggestedFix}</p>}
              </li>
            );
          })}
        </ul>
      </div>
    </div>
  );
}
