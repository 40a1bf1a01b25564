"use client";

import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { VolumePeriod } from "@/lib/analytics/get-volume-over-time";
import { EmptyChart } from "./chart-card";
import { AXIS, count, MAX_BAR_PERIODS, periodTickInterval, shortDay } from "./chart-format";

/**
 * Replays per period: those with feedback, stacked under those still waiting in the queue. Up to
 * MAX_BAR_PERIODS periods as bars; a longer range (a year by day) as stacked step areas, which
 * read the same and draw one path per series instead of hundreds of bars.
 */
export function VolumeChart({ data }: { data: VolumePeriod[] }) {
  if (data.length === 0) return <EmptyChart />;
  const axes = (
    <>
      <CartesianGrid stroke="#e2e8f0" vertical={false} />
      <XAxis dataKey="period" tickFormatter={shortDay} tick={AXIS} interval={periodTickInterval(data.length)} />
      <YAxis tickFormatter={(v: number) => count(v)} tick={AXIS} width={52} allowDecimals={false} />
      <Tooltip formatter={(value) => count(Number(value))} labelFormatter={(label) => shortDay(String(label))} />
      <Legend wrapperStyle={{ fontSize: 12 }} />
    </>
  );
  const margin = { top: 8, right: 8, bottom: 0, left: -8 };
  return (
    <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 600, height: 260 }}>
      {data.length > MAX_BAR_PERIODS ? (
        <AreaChart data={data} margin={margin}>
          {axes}
          <Area type="step" dataKey="submitted" name="Feedback submitted" stackId="v" stroke="#6366f1" fill="#6366f1" fillOpacity={0.85} isAnimationActive={false} />
          <Area type="step" dataKey="pending" name="Pending in queue" stackId="v" stroke="#fbbf24" fill="#fbbf24" fillOpacity={0.85} isAnimationActive={false} />
        </AreaChart>
      ) : (
        <BarChart data={data} margin={margin}>
          {axes}
          <Bar dataKey="submitted" name="Feedback submitted" stackId="v" fill="#6366f1" isAnimationActive={false} />
          <Bar dataKey="pending" name="Pending in queue" stackId="v" fill="#fbbf24" isAnimationActive={false} />
        </BarChart>
      )}
    </ResponsiveContainer>
  );
}
