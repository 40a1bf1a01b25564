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
 * place with a pale body (`data-chart="waiting"`, as a chart not drawn yet).
 */
export function DeferredCard<P extends PanelId>(props: CardProps<P>) {
  const { panel, csvHref, title, description, height = 260, placeholderHeight } = props;
  const fallback = (
    <ChartCard id={panel} csvHref={csvHref} title={title} description={description} table={{ columns: [], rows: [] }} height={typeof height === "number" ? height : (placeholderHeight ?? 120)} lazy={false}>
      <div data-chart="waiting" className="h-full rounded bg-slate-50" />
    </ChartCard>
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
