import Link from "next/link";
import { listHistoryAgents, listReplayHistory } from "@/lib/ai/list-replay-history";
import { FAILURE_CATEGORY_LABELS } from "@/lib/ai/failure-categories";
import { HISTORY_FILTER_KEYS, historyQuerySchema, type HistoryQuery } from "@/lib/ai/schemas";
import { hasRole } from "@/lib/auth/roles";
import { requirePageUser } from "@/lib/auth/session";
import { HistoryCard } from "./history-card";

export const metadata = { title: "History" };
export const dynamic = "force-dynamic";

/** Submitted replays with the AI's own explanation of each miss. Agents: their own; managers: anyone's. */
export default async function HistoryPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const user = await requirePageUser("agent");
  const manager = hasRole(user.role, "manager");
  const query = historyQuerySchema.parse(await searchParams);
  const agentId = manager ? (query.agent ?? null) : user.id;
  const [{ items, next }, agents] = await Promise.all([listReplayHistory({ agentId, query }), manager ? listHistoryAgents() : Promise.resolve([])]);
  const field = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm focus:border-indigo-500 focus:outline-none";
  const kept = filterParams(query);
  const older = new URLSearchParams({ ...Object.fromEntries(kept), ...(next ? { before: next } : {}) });
  const narrowed = describeNarrowing(query);

  return (
    <main className="mx-auto max-w-5xl px-6 py-6">
      <div className="flex flex-wrap items-end gap-4">
        <div className="min-w-64 flex-1">
          <h1 className="text-lg font-semibold">History</h1>
          <p className="mt-0.5 text-sm text-slate-600">
            {manager ? "Submitted replays" : "Your submitted replays"}, newest first. For every miss the AI explains why its reply failed; set the category if it got it wrong.
          </p>
        </div>
        <form method="get" className="flex flex-wrap items-center gap-2">
          {manager && (
            <select name="agent" aria-label="Agent" defaultValue={query.agent ?? ""} className={field}>
              <option value="">All agents</option>
              {agents.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
          )}
          <select name="feedback" aria-label="Verdict" defaultValue={query.feedback ?? ""} className={field}>
            <option value="">All verdicts</option>
            <option value="no">Not useful</option>
            <option value="yes">Useful</option>
          </select>
          {(["from", "to", "topic", "model", "category", "agreement", "analysis"] as const).map((key) =>
            query[key] ? <input key={key} type="hidden" name={key} value={query[key]} /> : null,
          )}
          <button type="submit" className="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm font-medium text-slate-700 hover:bg-slate-50">
            Filter
          </button>
        </form>
      </div>
      {narrowed && (
        <p data-testid="history-narrowed" className="mt-3 rounded-md border border-indigo-200 bg-indigo-50 px-3 py-2 text-sm text-indigo-900">
          Showing {narrowed}.{" "}
          <Link href="/history" className="font-medium underline">
            Show all
          </Link>
        </p>
      )}

      <div className="mt-5 space-y-4">
        {items.length === 0 ? (
          <p className="rounded-lg border border-dashed border-slate-300 px-4 py-10 text-center text-sm text-slate-500">
            Nothing here yet. Replays you submit from the <Link href="/replays" className="font-medium text-indigo-700 hover:underline">queue</Link> appear here.
          </p>
        ) : (
          items.map((item) => <HistoryCard key={item.id} item={item} showAgent={manager} />)
        )}
      </div>

      <nav className="mt-6 flex justify-between text-sm">
        {query.before ? (
          <Link href={`/history?${kept}`} className="font-medium text-indigo-700 hover:underline">
            ← Newest
          </Link>
        ) : (
          <span />
        )}
        {next && (
          <Link href={`/history?${older}`} className="font-medium text-indigo-700 hover:underline">
            Older →
          </Link>
        )}
      </nav>
    </main>
  );
}

function filterParams(query: HistoryQuery): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of HISTORY_FILTER_KEYS) if (query[key]) params.set(key, query[key]!);
  return params;
}

/** The dashboard's narrowing in words ("replays created 2026-09-01 – 2026-11-23, topic refunds, …"), or null. */
function describeNarrowing(query: HistoryQuery): string | null {
  const parts: string[] = [];
  if (query.from || query.to) parts.push(`created ${query.from ?? "…"} – ${query.to ?? "…"}`);
  if (query.topic) parts.push(`topic ${query.topic}`);
  if (query.model) parts.push(`model ${query.model}`);
  if (query.category) parts.push(`the AI called its miss “${FAILURE_CATEGORY_LABELS[query.category].toLowerCase()}”`);
  if (query.agreement) parts.push({ agreed: "the agent agreed with the AI's category", corrected: "the agent corrected the AI's category", rated: "the agent gave a category" }[query.agreement]);
  if (query.analysis) parts.push(`analysis ${query.analysis}`);
  return parts.length ? `replays ${parts.join(", ")}` : null;
}
