"use client";

import { YAxis } from "recharts";
import type { VolumePeriod } from "@/lib/analytics/get-volume-over-time";
import { EmptyChart } from "./chart-card";
import { AXIS, count } from "./chart-format";
import { StackedPeriodsChart } from "./stacked-periods-chart";

const SERIES = [
  { key: "submitted", name: "Feedback submitted", color: "#6366f1" },
  { key: "pending", name: "Pending in queue", color: "#fbbf24" },
];

/** Replays per period: those with feedback, stacked under those still waiting in the queue. */
export function VolumeChart({ data }: { data: VolumePeriod[] }) {
  if (data.length === 0) return <EmptyChart />;
  return (
    <StackedPeriodsChart
      rows={data}
      series={SERIES}
      yAxis={<YAxis key="y" tickFormatter={(v: number) => count(v)} tick={AXIS} width={52} allowDecimals={false} />}
      tooltipValue={(value, key) => [count(value), SERIES.find((s) => s.key === key)?.name ?? key]}
      margin={{ top: 8, right: 8, bottom: 0, left: -8 }}
    />
  );
}
