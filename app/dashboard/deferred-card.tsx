import { Suspense, type ReactNode } from "react";
import { loadPanel, type PanelData } from "@/lib/analytics/load-panel";
import { toPanelTable } from "@/lib/analytics/panel-tables";
import type { DashboardFilters, PanelId } from "@/lib/analytics/schemas";
import { ChartCard } from "./chart-card";

type CardProps<P extends PanelId> = {
  panel: P;
  filters: DashboardFilters;
  csvHref: string;
  title: string;
  description: string;
  /** The body's height, or a function of the data (a list's rows); the placeholder takes `placeholderHeight`. */
  height?: number | ((data: PanelData[P]) => number);
  placeholderHeight?: number;
  lazy?: boolean;
  children: (data: PanelData[P]) => ReactNode;
};

/**
 * A panel below the first screen: the page is sent without waiting for its aggregate, and the
 * panel streams in when its data is ready (React Suspense). Until then the card's frame holds its
 * place with its title and a pale body (`data-chart="waiting"`, as a chart not drawn yet).
 */
export function DeferredCard<P extends PanelId>(props: CardProps<P>) {
  const { title, description, height = 260, placeholderHeight } = props;
  // Not a ChartCard: while the panel streams in, React holds it hidden beside this placeholder, so
  // the two must not share the panel's test id or its heading's id.
  const fallback = (
    <section data-testid="deferred-panel" aria-label={`${title} (loading)`} aria-busy="true" className="rounded-lg border border-slate-200 bg-white p-4">
      <div className="mb-3 min-w-0">
        <h2 className="text-sm font-semibold text-slate-900">{title}</h2>
        <p className="mt-0.5 text-xs text-slate-500">{description}</p>
      </div>
      <div data-chart="waiting" style={{ height: typeof height === "number" ? height : (placeholderHeight ?? 120) }} className="rounded bg-slate-50" />
    </section>
  );
  return (
    <Suspense fallback={fallback}>
      <LoadedCard {...props} />
    </Suspense>
  );
}

async function LoadedCard<P extends PanelId>({ panel, filters, csvHref, title, description, height = 260, lazy, children }: CardProps<P>) {
  const data = await loadPanel(panel, filters);
  return (
    <ChartCard id={panel} csvHref={csvHref} title={title} description={description} table={toPanelTable(panel, data, filters)} height={typeof height === "number" ? height : height(data)} lazy={lazy}>
      {children(data)}
    </ChartCard>
  );
}
