import Link from "next/link";
import type { WorstPrompt } from "@/lib/training/find-worst-prompts";
import type { GroupMember } from "@/lib/training/list-group-members";

export function WorstPromptsTable({
  worst,
  members,
  days,
}: {
  worst: WorstPrompt[];
  members: Record<string, { members: GroupMember[]; distinct: number }>;
  days: number;
}) {
  return (
    <table className="mt-3 w-full overflow-hidden rounded-lg border border-slate-200 bg-white text-sm" data-testid="worst-prompts">
      <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
        <tr>
          <th className="w-10 px-3 py-2 text-right">#</th>
          <th className="px-3 py-2">Question (first message of the group) and its member messages</th>
          <th className="px-3 py-2 text-right">Not useful</th>
          <th className="px-3 py-2 text-right">Useful</th>
          <th className="w-36 px-3 py-2">Useful rate</th>
          <th className="px-3 py-2">Topics</th>
          <th className="px-3 py-2 text-right">Review</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {worst.map((w, index) => {
          const group = members[w.groupId];
          return (
            <tr key={w.groupId} data-testid="worst-prompt" className="align-top">
              <td className="px-3 py-3 text-right tabular-nums text-slate-400">{index + 1}</td>
              <td className="max-w-xl px-3 py-3">
                <details>
                  <summary className="cursor-pointer list-none text-slate-900 [&::-webkit-details-marker]:hidden">
                    <span className="line-clamp-2">{w.representative}</span>
                    <span className="mt-0.5 block text-xs text-indigo-700">
                      {group?.distinct ?? 0} different {group?.distinct === 1 ? "wording" : "wordings"} ▾
                    </span>
                  </summary>
                  <ul className="mt-2 space-y-1 border-l-2 border-slate-200 pl-3 text-xs text-slate-700">
                    {group?.members.map((m, i) => (
                      <li key={i} className="flex gap-2">
                        <span className="min-w-0 flex-1">{m.message}</span>
                        <span className="shrink-0 tabular-nums text-rose-700" title="not useful">{m.noCount}✗</span>
                        <span className="shrink-0 tabular-nums text-emerald-700" title="useful">{m.yesCount}✓</span>
                      </li>
                    ))}
                    {group && group.distinct > group.members.length && <li className="text-slate-400">… and {group.distinct - group.members.length} more</li>}
                  </ul>
                </details>
                <Link href={`/training/groups/${w.groupId}`} className="mt-1 inline-block text-xs font-medium text-indigo-700 hover:underline">
                  Why these are together · split or merge →
                </Link>
              </td>
              <td className="px-3 py-3 text-right font-medium tabular-nums text-rose-700">{w.noCount}</td>
              <td className="px-3 py-3 text-right tabular-nums text-slate-600">{w.yesCount}</td>
              <td className="px-3 py-3">
                <div className="flex items-center gap-2">
                  <div className="h-1.5 flex-1 overflow-hidden rounded-full bg-rose-100" aria-hidden>
                    <div className="h-full bg-emerald-500" style={{ width: `${Math.round(w.usefulRate * 100)}%` }} />
                  </div>
                  <span className="w-9 text-right tabular-nums text-slate-600">{Math.round(w.usefulRate * 100)}%</span>
                </div>
              </td>
              <td className="px-3 py-3">
                <div className="flex flex-wrap gap-1">
                  {w.topics.map((t) => (
                    <span key={t.topic} className="whitespace-nowrap rounded bg-slate-100 px-1.5 py-px text-xs text-slate-700">
                      {t.topic}
                    </span>
                  ))}
                </div>
              </td>
              <td className="whitespace-nowrap px-3 py-3 text-right">
                <Link href={`/training/review?group=${w.groupId}&days=${days}`} className="font-medium text-indigo-700 hover:underline">
                  {w.pendingReview > 0 ? `Review ${w.pendingReview} →` : "Open →"}
                </Link>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
