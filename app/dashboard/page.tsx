import { listFilterOptions } from "@/lib/analytics/list-filter-options";
import { loadPanel } from "@/lib/analytics/load-panel";
import { toPanelTable } from "@/lib/analytics/panel-tables";
import { dashboardFiltersSchema, type DashboardFilters, type PanelId } from "@/lib/analytics/schemas";
import { requirePageUser } from "@/lib/auth/session";
import { AgentChart } from "./agent-chart";
import { ChartCard } from "./chart-card";
import { DeferredCard } from "./deferred-card";
import { EditChart } from "./edit-chart";
import { FailurePanel } from "./failure-panel";
import { FilterBar } from "./filter-bar";
import { FunnelChart } from "./funnel-chart";
import { SummaryStrip } from "./summary-strip";
import { TopicChart } from "./topic-chart";
import { RetrainRunsPanel } from "./retrain-runs-panel";
import { UsefulnessChart } from "./usefulness-chart";
import { VolumeChart } from "./volume-chart";
import { WorstPromptsList } from "./worst-prompts-list";

export const metadata = { title: "Dashboard" };
export const dynamic = "force-dynamic";

function exportHref(panel: PanelId, filters: DashboardFilters) {
  const params = new URLSearchParams({ from: filters.from, to: filters.to, granularity: filters.granularity });
  for (const key of ["agent", "topic", "model"] as const) if (filters[key]) params.set(key, filters[key]!);
  return `/dashboard/export/${panel}?${params}`;
}

/** Managers' analytics: is the AI getting better, where does it fail, what did we train on. */
export default async function DashboardPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  await requirePageUser("manager");
  const parsed = dashboardFiltersSchema.safeParse(await searchParams);
  const filters = parsed.success ? parsed.data : dashboardFiltersSchema.parse({});
  // The first screen's data; the panels below it stream in as theirs is ready (DeferredCard).
  const [options, summary, usefulness, topics, worst] = await Promise.all([
    listFilterOptions(),
    loadPanel("summary", filters),
    loadPanel("usefulness", filters),
    loadPanel("topics", filters),
    loadPanel("worst-prompts", filters),
  ]);
  const card = (panel: PanelId) => ({ id: panel, csvHref: exportHref(panel, filters) });
  const deferred = <P extends PanelId>(panel: P) => ({ panel, filters, csvHref: exportHref(panel, filters) });
  // One bar per topic: the height follows the row count, known before anything renders.
  const barsHeight = (rows: number) => Math.min(640, Math.max(260, 48 + 22 * rows));

  return (
    <main className="mx-auto max-w-[1600px] space-y-4 px-4 py-5">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-lg font-semibold tracking-tight">Dashboard</h1>
        <p className="text-sm text-slate-500">
          {filters.from} – {filters.to} · <a className="text-indigo-700 hover:underline" href={exportHref("summary", filters)} download>summary CSV</a>
        </p>
      </div>
      <FilterBar filters={filters} options={options} />
      {!parsed.success && (
        <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          Some filters were not valid ({parsed.error.issues.map((i) => i.message).join("; ")}), so the default view is shown.
        </p>
      )}
      <SummaryStrip summary={summary} />

      <ChartCard
        {...card("usefulness")}
        title="Is the AI getting better?"
        description="Share of AI suggestions agents marked useful, overall and per model version; dashed lines mark where a version started, green ones where a version was promoted."
        table={toPanelTable("usefulness", usefulness)}
        height={usefulness.promotions.length > 0 ? 300 : 280}
      >
        <UsefulnessChart data={usefulness} />
      </ChartCard>

      <div className="grid gap-4 lg:grid-cols-2">
        <ChartCard {...card("topics")} title="Where it fails: useful rate by topic" description="Worst topics first." table={toPanelTable("topics", topics)} height={barsHeight(topics.length)}>
          <TopicChart data={topics} />
        </ChartCard>
        <ChartCard
          {...card("worst-prompts")}
          title="Worst prompts"
          description="Questions (customer messages grouped by meaning, however worded) with the most “not useful”."
          table={toPanelTable("worst-prompts", worst)}
          height={barsHeight(topics.length)}
          lazy={false}
        >
          <WorstPromptsList data={worst} />
        </ChartCard>
        <DeferredCard {...deferred("edits")} title="How much agents change the suggestion" description="Share of words changed between the AI reply and the reply sent, per submitted reply.">
          {(edits) => <EditChart data={edits} />}
        </DeferredCard>
        <DeferredCard
          {...deferred("funnel")}
          title="What we train on: review, export and fine-tune stages"
          description="Each stage's count and share of “not useful”; below, where examples drop out and why. A worst-prompts export may take examples not reviewed yet."
          height={300}
        >
          {(funnel) => <FunnelChart data={funnel} />}
        </DeferredCard>
      </div>

      <DeferredCard
        {...deferred("failures")}
        title="Why the AI failed (self-critique)"
        description="The AI's own category for each “not useful” reply, per period; how often agents agreed with it; the newest explanation and suggested fix of the top categories. Numbers open the replays."
        height={320}
        lazy={false}
      >
        {(failures) => <FailurePanel data={failures} filters={filters} />}
      </DeferredCard>

      <DeferredCard {...deferred("volume")} title="Volume" description="Replays per period: feedback submitted and still pending in the queue." height={220}>
        {(volume) => <VolumeChart data={volume} />}
      </DeferredCard>
      <DeferredCard {...deferred("agents")} title="Feedback per agent" description="Most active first; pending replays have no agent yet." height={280}>
        {(agents) => <AgentChart data={agents} />}
      </DeferredCard>

      <DeferredCard
        {...deferred("runs")}
        title="Fine-tune jobs and model versions"
        description="Each retrain run: target, status, dataset, the candidate's score against the active version (overall and per question group) and the decision. Dates filter runs; topic, agent and model do not apply."
        lazy={false}
        height={(runs) => Math.min(360, Math.max(120, 36 * runs.length + 16))}
        placeholderHeight={120}
      >
        {(runs) => <RetrainRunsPanel data={runs} />}
      </DeferredCard>
    </main>
  );
}
