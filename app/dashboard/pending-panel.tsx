/**
 * A panel whose data another part of the product will store (self-critique, review and export,
 * fine-tune jobs and evaluations). Same frame and height as a chart, so the layout does not
 * change when the data arrives.
 */
export function PendingPanel({ id, title, description, when, height = 200 }: { id: string; title: string; description: string; when: string; height?: number }) {
  return (
    <section aria-labelledby={`${id}-title`} data-testid={`panel-${id}`} className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id={`${id}-title`} className="text-sm font-semibold text-slate-900">{title}</h2>
      <p className="mt-0.5 text-xs text-slate-500">{description}</p>
      <div style={{ height }} className="mt-3 grid place-items-center rounded-md border border-dashed border-slate-200 bg-slate-50/60 px-6 text-center">
        <p className="text-sm text-slate-500">
          <span className="font-medium text-slate-600">No data yet</span> — appears when {when}
        </p>
      </div>
    </section>
  );
}
