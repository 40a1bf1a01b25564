"use client";

import { YAxis } from "recharts";
import { FAILURE_CATEGORY_LABELS, type FailureCategory } from "@/lib/ai/failure-categories";
import type { FailureCategories } from "@/lib/analytics/get-failure-categories";
import { EmptyChart } from "./chart-card";
import { AXIS, count, MODEL_COLORS } from "./chart-format";
import { StackedPeriodsChart } from "./stacked-periods-chart";

/** The AI's own failure categories per period, stacked, most frequent category at the bottom. */
export function FailureChart({ data }: { data: FailureCategories }) {
  if (data.periods.length === 0) return <EmptyChart>No self-critiques of &ldquo;not useful&rdquo; replies in this range.</EmptyChart>;
  const categories = data.categories.map((c) => c.category);
  const rows = data.periods.map((p) => ({ period: p.period, ...Object.fromEntries(categories.map((c) => [c, p.byCategory[c] ?? 0])) }));
  const series = categories.map((c, i) => ({ key: c, name: FAILURE_CATEGORY_LABELS[c as FailureCategory], color: MODEL_COLORS[i % MODEL_COLORS.length]! }));
  return (
    <StackedPeriodsChart
      rows={rows}
      series={series}
      yAxis={<YAxis key="y" allowDecimals={false} tick={AXIS} width={44} />}
      tooltipValue={(value, key) => [count(value), FAILURE_CATEGORY_LABELS[key as FailureCategory]]}
      legendFontSize={11}
      margin={{ top: 8, right: 8, bottom: 0, left: -16 }}
    />
  );
}
