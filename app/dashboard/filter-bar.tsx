import type { FilterOptions } from "@/lib/analytics/list-filter-options";
import type { DashboardFilters } from "@/lib/analytics/schemas";

const field = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm focus:border-indigo-500 focus:outline-none";

/** A plain GET form: the filters live in the URL, so every view can be bookmarked and shared. */
export function FilterBar({ filters, options }: { filters: DashboardFilters; options: FilterOptions }) {
  return (
    <form method="get" action="/dashboard" aria-label="Filters" className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3 text-xs text-slate-600">
      <label className="flex flex-col gap-1">
        From
        <input type="date" name="from" defaultValue={filters.from} className={field} required />
      </label>
      <label className="flex flex-col gap-1">
        To
        <input type="date" name="to" defaultValue={filters.to} className={field} required />
      </label>
      <label className="flex flex-col gap-1">
        By
        <select name="granularity" defaultValue={filters.granularity} className={field}>
          <option value="week">Week</option>
          <option value="day">Day</option>
        </select>
      </label>
      <label className="flex min-w-40 flex-col gap-1">
        Agent
        <select name="agent" defaultValue={filters.agent ?? ""} className={field}>
          <option value="">All agents</option>
          {options.agents.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
        </select>
      </label>
      <label className="flex min-w-40 flex-col gap-1">
        Topic
        <select name="topic" defaultValue={filters.topic ?? ""} className={field}>
          <option value="">All topics</option>
          {options.topics.map((t) => <option key={t} value={t}>{t}</option>)}
        </select>
      </label>
      <label className="flex min-w-40 flex-col gap-1">
        Model version
        <select name="model" defaultValue={filters.model ?? ""} className={field}>
          <option value="">All models</option>
          {options.models.map((m) => <option key={m} value={m}>{m}</option>)}
        </select>
      </label>
      <div className="flex gap-2">
        <button type="submit" className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700">Apply</button>
        <a href="/dashboard" className="rounded-md px-2 py-1.5 text-sm text-slate-600 hover:bg-slate-100">Reset</a>
      </div>
      <p className="ml-auto self-center text-slate-400">Days are UTC, by when the AI made its suggestion.</p>
    </form>
  );
}
