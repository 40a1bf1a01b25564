import Link from "next/link";
import type { WorstPrompt } from "@/lib/analytics/find-worst-prompts";
import { EmptyChart } from "./chart-card";
import { count } from "./chart-format";

/** The prompt groups the AI fails most often. Customer messages are rendered as text only. */
export function WorstPromptsList({ data }: { data: WorstPrompt[] }) {
  if (data.length === 0) return <EmptyChart>No &ldquo;not useful&rdquo; feedback in this range.</EmptyChart>;
  const top = data[0]!.notUseful;
  return (
    <ol className="h-full space-y-1.5 overflow-auto pr-1">
      {data.map((w) => (
        <li key={w.group} data-testid="worst-prompt" className="relative rounded-md px-2 py-1.5">
          <span aria-hidden className="absolute inset-y-0 left-0 rounded-md bg-rose-50" style={{ width: `${(100 * w.notUseful) / top}%` }} />
          <div className="relative flex items-baseline gap-3">
            <span className="w-10 shrink-0 text-right text-sm font-semibold tabular-nums text-rose-700">{count(w.notUseful)}</span>
            {w.groupId ? (
              <Link prefetch={false} href={`/training/review?group=${w.groupId}&status=all&scope=all`} className="min-w-0 flex-1 truncate text-sm text-slate-800 hover:text-indigo-700 hover:underline" title={`${w.example} — review this group's examples`}>
                {w.example}
              </Link>
            ) : (
              <span className="min-w-0 flex-1 truncate text-sm text-slate-800" title={w.example}>{w.example}</span>
            )}
            <span className="shrink-0 text-xs text-slate-500">{w.topic ?? "no topic"} · last {w.lastSeen}</span>
          </div>
        </li>
      ))}
    </ol>
  );
}
