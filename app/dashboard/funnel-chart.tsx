"use client";

import { Bar, BarChart, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { TrainingFunnel } from "@/lib/analytics/get-training-funnel";
import { EmptyChart } from "./chart-card";
import { AXIS, count } from "./chart-format";

/** The loop's stages as horizontal bars, each labelled with its count and share of the first stage; drop-outs listed below. */
export function FunnelChart({ data }: { data: TrainingFunnel }) {
  const first = data.stages[0]?.count ?? 0;
  if (data.stages.every((s) => s.count === 0)) return <EmptyChart>No &ldquo;not useful&rdquo; feedback in this range, so nothing to train on yet.</EmptyChart>;
  const rows = data.stages.map((s) => ({ ...s, figure: `${count(s.count)}${first ? ` · ${Math.round((100 * s.count) / first)}%` : ""}` }));
  const drops = data.dropped.filter((d) => d.count > 0);
  return (
    <div className="flex h-full flex-col">
      <div className="min-h-0 flex-1">
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 500, height: 200 }}>
          <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 96, bottom: 4, left: 0 }}>
            <XAxis type="number" hide />
            <YAxis type="category" dataKey="label" tick={AXIS} width={150} interval={0} />
            <Tooltip formatter={(value) => count(Number(value))} labelFormatter={() => ""} />
            <Bar dataKey="count" name="Count" fill="#0ea5e9" radius={[0, 4, 4, 0]} maxBarSize={28} minPointSize={2} isAnimationActive={false}>
              <LabelList dataKey="figure" position="right" style={{ fontSize: 11, fill: "#334155" }} />
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <p data-testid="funnel-dropped" className="mt-1 text-xs text-slate-600">
        <span className="font-medium text-slate-700">Left out: </span>
        {drops.length === 0 ? "nothing." : drops.map((d) => `${d.label.toLowerCase()} ${count(d.count)}`).join(" · ")}
      </p>
    </div>
  );
}
