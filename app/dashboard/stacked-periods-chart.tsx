"use client";

import type { ReactNode } from "react";
import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { AXIS, MAX_BAR_PERIODS, periodTickInterval, shortDay } from "./chart-format";

export type StackedSeries = { key: string; name: string; color: string };

/**
 * Counts per period, one stacked series each: bars up to MAX_BAR_PERIODS periods; beyond (a year
 * by day) stacked step areas, which read the same and draw one path per series instead of a
 * rect per period and series.
 */
export function StackedPeriodsChart({
  rows,
  series,
  yAxis,
  tooltipValue,
  legendFontSize = 12,
  margin,
}: {
  rows: ({ period: string } & Record<string, string | number>)[];
  series: StackedSeries[];
  yAxis: ReactNode;
  tooltipValue: (value: number, key: string) => [string, string];
  legendFontSize?: number;
  margin: { top: number; right: number; bottom: number; left: number };
}) {
  const byKey = new Map(series.map((s) => [s.key, s]));
  const axes = [
    <CartesianGrid key="grid" stroke="#e2e8f0" vertical={false} />,
    <XAxis key="x" dataKey="period" tickFormatter={shortDay} tick={AXIS} interval={periodTickInterval(rows.length)} />,
    yAxis,
    <Tooltip key="tooltip" formatter={(value, key) => tooltipValue(Number(value), String(key))} labelFormatter={(label) => shortDay(String(label))} />,
    <Legend key="legend" formatter={(key: string) => byKey.get(key)?.name ?? key} wrapperStyle={{ fontSize: legendFontSize }} />,
  ];
  return (
    <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 600, height: 250 }}>
      {rows.length > MAX_BAR_PERIODS ? (
        <AreaChart data={rows} margin={margin}>
          {axes}
          {series.map((s) => (
            <Area key={s.key} type="step" dataKey={s.key} stackId="s" stroke={s.color} fill={s.color} fillOpacity={0.85} isAnimationActive={false} />
          ))}
        </AreaChart>
      ) : (
        <BarChart data={rows} margin={margin}>
          {axes}
          {series.map((s) => (
            <Bar key={s.key} dataKey={s.key} stackId="s" fill={s.color} isAnimationActive={false} />
          ))}
        </BarChart>
      )}
    </ResponsiveContainer>
  );
}
