"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { TopicVolume } from "@/lib/analytics/get-volume-by-topic";
import { EmptyChart } from "./chart-card";
import { AXIS, count, percent } from "./chart-format";

/** Useful rate per topic, worst first, with the volume in the tooltip: where the AI fails. */
export function TopicChart({ data }: { data: TopicVolume[] }) {
  const rows = data.filter((t) => t.submitted > 0).map((t) => ({ ...t, name: t.topic ?? "(no topic)" }));
  if (rows.length === 0) return <EmptyChart />;
  return (
    <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 600, height: 320 }}>
      <BarChart data={rows} layout="vertical" margin={{ top: 0, right: 16, bottom: 0, left: 0 }} barCategoryGap={3}>
        <CartesianGrid stroke="#e2e8f0" horizontal={false} />
        <XAxis type="number" domain={[0, 1]} tickFormatter={(v: number) => percent(v)} tick={AXIS} />
        <YAxis type="category" dataKey="name" tick={{ ...AXIS, fontSize: 10 }} tickFormatter={(name: string) => (name.length > 28 ? `${name.slice(0, 27)}…` : name)} width={150} interval={0} />
        <Tooltip
          formatter={(value, _name, item) => {
            const t = item.payload as TopicVolume;
            return [`${percent(Number(value), 1)} of ${count(t.submitted)} (${count(t.pending)} pending)`, "Useful"];
          }}
        />
        <Bar dataKey="usefulRate" name="Useful" fill="#6366f1" radius={[0, 3, 3, 0]} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}
