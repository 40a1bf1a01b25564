"use client";

import { Bar, BarChart, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { FunnelStage } from "@/lib/analytics/get-training-funnel";
import { EmptyChart } from "./chart-card";
import { AXIS, count } from "./chart-format";

/** The training funnel as horizontal bars, each labelled with its count and share of the first stage. */
export function FunnelChart({ data }: { data: FunnelStage[] }) {
  const first = data[0]?.count ?? 0;
  if (first === 0 && data.every((s) => s.count === 0)) return <EmptyChart>No &ldquo;not useful&rdquo; feedback in this range, so nothing to train on yet.</EmptyChart>;
  const rows = data.map((s) => ({ ...s, figure: `${count(s.count)}${first ? ` · ${Math.round((100 * s.count) / first)}%` : ""}` }));
  return (
    <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 500, height: 200 }}>
      <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 96, bottom: 4, left: 0 }}>
        <XAxis type="number" hide />
        <YAxis type="category" dataKey="label" tick={AXIS} width={150} />
        <Tooltip formatter={(value) => count(Number(value))} labelFormatter={() => ""} />
        <Bar dataKey="count" name="Count" fill="#0ea5e9" radius={[0, 4, 4, 0]} maxBarSize={40} isAnimationActive={false}>
          <LabelList dataKey="figure" position="right" style={{ fontSize: 11, fill: "#334155" }} />
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
}
