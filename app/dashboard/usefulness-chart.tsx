"use client";

import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { UsefulnessOverTime } from "@/lib/analytics/get-usefulness-over-time";
import { EmptyChart } from "./chart-card";
import { AXIS, count, MODEL_COLORS, percent, periodTickInterval, shortDay } from "./chart-format";

/** Useful rate per period: the overall line, one line per model version, a marker where a version starts and where one was promoted (with the week before and after). */
export function UsefulnessChart({ data }: { data: UsefulnessOverTime }) {
  if (data.periods.length === 0) return <EmptyChart />;
  const rows = data.periods.map((p) => ({
    period: p.period,
    overall: p.rate,
    submitted: p.submitted,
    ...Object.fromEntries(data.models.map((m) => [`m:${m}`, p.byModel[m]?.rate ?? null])),
  }));
  const perModel = data.models.length > 1;
  // A version that served a single period has no segment to draw: it gets dots, or it would not show.
  const lonely = new Set(data.models.filter((m) => data.periods.filter((p) => (p.byModel[m]?.rate ?? null) !== null).length < 2));
  return (
    <div className="flex h-full flex-col">
      <div className="min-h-0 flex-1">
    <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 600, height: 260 }}>
      <LineChart data={rows} margin={{ top: 16, right: 24, bottom: 0, left: -8 }}>
        <CartesianGrid stroke="#e2e8f0" vertical={false} />
        <XAxis dataKey="period" tickFormatter={shortDay} tick={AXIS} interval={periodTickInterval(rows.length)} />
        <YAxis domain={[0, 1]} tickFormatter={(v: number) => percent(v)} tick={AXIS} width={44} />
        <Tooltip
          formatter={(value, name) => [percent(value as number | null, 1), name === "overall" ? "All models" : String(name).slice(2)]}
          labelFormatter={(label) => `${data.periods.length && label ? shortDay(String(label)) : ""}`}
        />
        <Legend formatter={(value: string) => (value === "overall" ? "All models" : value.slice(2))} wrapperStyle={{ fontSize: 12 }} />
        {data.versionChanges.map((v) => (
          <ReferenceLine
            key={v.model}
            x={v.period}
            stroke="#94a3b8"
            strokeDasharray="4 3"
            label={{ value: `▸ ${v.model}`, position: "insideTopLeft", fontSize: 10, fill: "#475569" }}
          />
        ))}
        {data.promotions.map((p) => (
          <ReferenceLine
            key={`${p.version}-${p.day}`}
            x={p.period}
            stroke="#059669"
            strokeWidth={1.5}
            label={{ value: `★ ${p.version} promoted`, position: "insideBottomLeft", fontSize: 10, fill: "#047857" }}
          />
        ))}
        {/* The overall line is a wide pale band under the per-model lines, so both stay readable. */}
        <Line type="monotone" dataKey="overall" stroke={perModel ? "#a5b4fc" : "#4f46e5"} strokeWidth={perModel ? 5 : 2.5} dot={false} connectNulls isAnimationActive={false} />
        {perModel &&
          data.models.map((m, i) => (
            <Line
              key={m}
              type="monotone"
              dataKey={`m:${m}`}
              name={`m:${m}`}
              stroke={MODEL_COLORS[i % MODEL_COLORS.length]}
              strokeWidth={1.75}
              dot={lonely.has(m) ? { r: 3, fill: MODEL_COLORS[i % MODEL_COLORS.length] } : false}
              isAnimationActive={false}
            />
          ))}
      </LineChart>
    </ResponsiveContainer>
      </div>
      {data.promotions.length > 0 && (
        <ul data-testid="promotions" className="mt-1 flex flex-wrap gap-x-4 gap-y-0.5 text-xs text-slate-600">
          {data.promotions.map((p) => (
            <li key={`${p.version}-${p.day}`}>
              <span className="font-medium text-emerald-700">★ {p.version}</span> promoted {shortDay(p.day)}: useful {percent(p.before.rate)} the week before → {percent(p.after.rate)} the week after
              <span className="text-slate-400"> ({count(p.before.submitted)} → {count(p.after.submitted)} replies)</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
