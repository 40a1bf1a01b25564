"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { AgentVolume } from "@/lib/analytics/get-volume-by-agent";
import { EmptyChart } from "./chart-card";
import { AXIS, count } from "./chart-format";

/** Feedback given per agent, split into useful and not useful. */
export function AgentChart({ data }: { data: AgentVolume[] }) {
  if (data.length === 0) return <EmptyChart>No feedback submitted in this range.</EmptyChart>;
  return (
    <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 600, height: 320 }}>
      <BarChart data={data} layout="vertical" margin={{ top: 0, right: 16, bottom: 0, left: 0 }} barCategoryGap={3}>
        <CartesianGrid stroke="#e2e8f0" horizontal={false} />
        <XAxis type="number" tickFormatter={(v: number) => count(v)} tick={AXIS} allowDecimals={false} />
        <YAxis type="category" dataKey="name" tick={AXIS} width={130} interval={0} />
        <Tooltip formatter={(value) => count(Number(value))} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey="useful" name="Useful" stackId="a" fill="#10b981" maxBarSize={28} isAnimationActive={false} />
        <Bar dataKey="notUseful" name="Not useful" stackId="a" fill="#f43f5e" maxBarSize={28} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}
