"use client";

import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { EditDistribution } from "@/lib/analytics/get-edit-distribution";
import { EmptyChart } from "./chart-card";
import { AXIS, count, percent } from "./chart-format";

const SHADES = ["#10b981", "#84cc16", "#eab308", "#f59e0b", "#f97316", "#ef4444"];

/** How much of the AI suggestion agents changed before sending, with the share sent unchanged. */
export function EditChart({ data }: { data: EditDistribution }) {
  if (data.measured === 0) return <EmptyChart>No submitted replies to compare in this range.</EmptyChart>;
  return (
    <div className="flex h-full flex-col">
      <p className="mb-2 text-xs text-slate-600">
        <span className="text-lg font-semibold text-slate-900">{percent(data.unchangedShare)}</span> sent unchanged ·
        {" "}{percent(data.meanEditRatio)} of words changed on average
      </p>
      <div className="min-h-0 flex-1">
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 500, height: 200 }}>
          <BarChart data={data.buckets} margin={{ top: 4, right: 8, bottom: 0, left: -8 }}>
            <CartesianGrid stroke="#e2e8f0" vertical={false} />
            <XAxis dataKey="short" tick={AXIS} interval={0} />
            <YAxis tickFormatter={(v: number) => percent(v)} tick={AXIS} width={44} domain={[0, "auto"]} />
            <Tooltip
              labelFormatter={(_label, payload) => (payload?.[0]?.payload as { label?: string } | undefined)?.label ?? ""}
              formatter={(value, _n, item) => [`${percent(Number(value), 1)} (${count((item.payload as { count: number }).count)})`, "Replies"]}
            />
            <Bar dataKey="share" name="Replies" isAnimationActive={false}>
              {data.buckets.map((b, i) => <Cell key={b.key} fill={SHADES[i]} />)}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
    </div>
  );
}
