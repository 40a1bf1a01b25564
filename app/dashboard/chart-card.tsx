"use client";

import { useEffect, useRef, useState, type ReactNode } from "react";
import type { PanelTable } from "@/lib/analytics/panel-tables";

/**
 * A dashboard panel: the chart, or the same numbers as a table, and a CSV download. The body has
 * a fixed height in both views, so nothing below it moves when charts draw or views switch.
 *
 * A chart draws once its panel comes within 200 px of the viewport, as Grafana's panels do:
 * drawing all ten charts before the first screen responds cost most of the page's time, and the
 * manager reads from the top. Its numbers are in the page from the start (the table view, the CSV).
 */
export function ChartCard({
  id,
  title,
  description,
  table,
  csvHref,
  height = 260,
  lazy = true,
  className = "",
  children,
}: {
  id: string;
  title: string;
  description?: string;
  table: PanelTable;
  csvHref: string;
  height?: number;
  /** False for a panel of text (a list) or one that wraps its own LazyChart: text costs nothing to draw and should be findable at once. */
  lazy?: boolean;
  className?: string;
  children: ReactNode;
}) {
  const [view, setView] = useState<"chart" | "table">("chart");
  const tab = (value: "chart" | "table", label: string) => (
    <button
      type="button"
      role="tab"
      aria-selected={view === value}
      onClick={() => setView(value)}
      className={`rounded px-2 py-0.5 ${view === value ? "bg-white text-slate-900 shadow-sm" : "text-slate-500 hover:text-slate-800"}`}
    >
      {label}
    </button>
  );
  return (
    <section aria-labelledby={`${id}-title`} data-testid={`panel-${id}`} className={`rounded-lg border border-slate-200 bg-white p-4 ${className}`}>
      <div className="mb-3 flex items-start justify-between gap-3">
        <div className="min-w-0">
          <h2 id={`${id}-title`} className="text-sm font-semibold text-slate-900">{title}</h2>
          {description && <p className="mt-0.5 text-xs text-slate-500">{description}</p>}
        </div>
        <div className="flex shrink-0 items-center gap-2 text-xs">
          <div role="tablist" aria-label={`${title} view`} className="flex rounded-md bg-slate-100 p-0.5">
            {tab("chart", "Chart")}
            {tab("table", "Table")}
          </div>
          <a href={csvHref} download className="rounded-md border border-slate-200 px-2 py-0.5 text-slate-600 hover:bg-slate-50 hover:text-slate-900">
            CSV
          </a>
        </div>
      </div>
      <div style={{ height }} className="relative">
        {view === "table" ? <DataTable table={table} /> : lazy ? <LazyChart>{children}</LazyChart> : children}
      </div>
    </section>
  );
}

/**
 * Its chart, drawn from the first time it comes within 200 px of the viewport (before it shows) and
 * kept from then on; until then a pale block of the same size (`data-chart="waiting"`).
 */
export function LazyChart({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [seen, setSeen] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (!element || seen) return;
    if (typeof IntersectionObserver === "undefined") return setSeen(true);
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && setSeen(true), { rootMargin: "200px 0px" });
    observer.observe(element);
    return () => observer.disconnect();
  }, [seen]);
  return (
    <div ref={ref} data-chart={seen ? "drawn" : "waiting"} className={`h-full ${seen ? "" : "rounded bg-slate-50"}`}>
      {seen ? children : null}
    </div>
  );
}

export function DataTable({ table }: { table: PanelTable }) {
  if (table.rows.length === 0) return <p className="grid h-full place-items-center text-sm text-slate-500">No rows for these filters.</p>;
  return (
    <div className="h-full overflow-auto">
      <table className="w-full text-left text-xs tabular-nums">
        <thead className="sticky top-0 bg-white text-slate-500">
          <tr>{table.columns.map((c) => <th key={c} scope="col" className="border-b border-slate-200 px-2 py-1 font-medium">{c}</th>)}</tr>
        </thead>
        <tbody>
          {table.rows.map((row, i) => (
            <tr key={i} className="odd:bg-slate-50/60">
              {row.map((cell, j) => {
                const href = cell === null ? null : (table.links?.[i]?.[j] ?? null);
                return (
                  <td key={j} className="max-w-[28rem] truncate px-2 py-1 text-slate-700" title={cell === null ? "" : String(cell)}>
                    {cell === null ? "–" : href ? <a href={href} className="font-medium text-indigo-700 hover:underline">{String(cell)}</a> : String(cell)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Shown inside a chart body when the filters leave nothing to draw. */
export function EmptyChart({ children = "Nothing in this range. Widen the dates or clear a filter." }: { children?: ReactNode }) {
  return <div className="grid h-full place-items-center px-6 text-center text-sm text-slate-500">{children}</div>;
}
