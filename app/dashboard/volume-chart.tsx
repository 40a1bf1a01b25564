"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { VolumePeriod } from "@/lib/analytics/get-volume-over-time";
import { EmptyChart } from "./chart-card";
import { AXIS, count, shortDay } from "./chart-format";

/** Replays per period: those with feedback, stacked under those still waiting in the queue. */
export function VolumeChart({ data }: { data: VolumePeriod[] }) {
  if (data.length === 0) return <EmptyChart />;
  return (
    <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 600, height: 260 }}>
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -8 }}>
        <CartesianGrid stroke="#e2e8f0" vertical={false} />
        <XAxis dataKey="period" tickFormatter={shortDay} tick={AXIS} minTickGap={16} />
        <YAxis tickFormatter={(v: number) => count(v)} tick={AXIS} width={52} allowDecimals={false} />
        <Tooltip formatter={(value) => count(Number(value))} labelFormatter={(label) => shortDay(String(label))} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey="submitted" name="Feedback submitted" stackId="v" fill="#6366f1" isAnimationActive={false} />
        <Bar dataKey="pending" name="Pending in queue" stackId="v" fill="#fbbf24" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}
