"use client";

import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { FAILURE_CATEGORY_LABELS, type FailureCategory } from "@/lib/ai/failure-categories";
import type { FailureCategories } from "@/lib/analytics/get-failure-categories";
import { EmptyChart } from "./chart-card";
import { AXIS, count, MAX_BAR_PERIODS, MODEL_COLORS, periodTickInterval, shortDay } from "./chart-format";

/** The AI's own failure categories per period, stacked, most frequent category at the bottom; stacked step areas beyond MAX_BAR_PERIODS periods. */
export function FailureChart({ data }: { data: FailureCategories }) {
  if (data.periods.length === 0) return <EmptyChart>No self-critiques of &ldquo;not useful&rdquo; replies in this range.</EmptyChart>;
  const categories = data.categories.map((c) => c.category);
  const rows = data.periods.map((p) => ({ period: p.period, ...Object.fromEntries(categories.map((c) => [c, p.byCategory[c] ?? 0])) }));
  const axes = (
    <>
      <CartesianGrid stroke="#e2e8f0" vertical={false} />
      <XAxis dataKey="period" tickFormatter={shortDay} tick={AXIS} interval={periodTickInterval(rows.length)} />
      <YAxis allowDecimals={false} tick={AXIS} width={44} />
      <Tooltip formatter={(value, name) => [count(Number(value)), FAILURE_CATEGORY_LABELS[name as FailureCategory]]} labelFormatter={(label) => shortDay(String(label))} />
      <Legend formatter={(value: string) => FAILURE_CATEGORY_LABELS[value as FailureCategory]} wrapperStyle={{ fontSize: 11 }} />
    </>
  );
  const margin = { top: 8, right: 8, bottom: 0, left: -16 };
  return (
    <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 600, height: 240 }}>
      {rows.length > MAX_BAR_PERIODS ? (
        <AreaChart data={rows} margin={margin}>
          {axes}
          {categories.map((c, i) => (
            <Area key={c} type="step" dataKey={c} stackId="c" stroke={MODEL_COLORS[i % MODEL_COLORS.length]} fill={MODEL_COLORS[i % MODEL_COLORS.length]} fillOpacity={0.85} isAnimationActive={false} />
          ))}
        </AreaChart>
      ) : (
        <BarChart data={rows} margin={margin}>
          {axes}
          {categories.map((c, i) => (
            <Bar key={c} dataKey={c} stackId="c" fill={MODEL_COLORS[i % MODEL_COLORS.length]} isAnimationActive={false} />
          ))}
        </BarChart>
      )}
    </ResponsiveContainer>
  );
}
