"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { AgentVolume } from "@/lib/analytics/get-volume-by-agent";
import { EmptyChart } from "./chart-card";
import { AXIS, count, percent } from "./chart-format";

/** Feedback given per agent, split into useful and not useful; most active first. */
export function AgentChart({ data }: { data: AgentVolume[] }) {
  if (data.length === 0) return <EmptyChart>No feedback submitted in this range.</EmptyChart>;
  return (
    <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 1200, height: 280 }}>
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -8 }} barCategoryGap="20%">
        <CartesianGrid stroke="#e2e8f0" vertical={false} />
        <XAxis dataKey="name" tick={{ ...AXIS, fontSize: 10 }} interval={0} angle={-30} textAnchor="end" height={56} />
        <YAxis tickFormatter={(v: number) => count(v)} tick={AXIS} width={52} allowDecimals={false} />
        <Tooltip
          formatter={(value, name, item) => {
            const a = item.payload as AgentVolume;
            return [`${count(Number(value))}${name === "Useful" ? ` (${percent(a.usefulRate)})` : ""}`, name];
          }}
        />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey="useful" name="Useful" stackId="a" fill="#10b981" maxBarSize={40} isAnimationActive={false} />
        <Bar dataKey="notUseful" name="Not useful" stackId="a" fill="#f43f5e" maxBarSize={40} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}
