/**
 * Where the AI engine's self-critique of this miss ("why my reply failed") is shown. The analysis
 * is built by the AI engine (its own issue); wire its reader here by the example's replayId.
 */
export function SelfCritiqueSlot({ replayId }: { replayId: string | null }) {
  return (
    <section data-testid="self-critique-slot" data-replay-id={replayId ?? undefined} className="rounded-lg border border-dashed border-slate-300 bg-slate-50 px-4 py-3">
      <h3 className="text-xs font-medium uppercase tracking-wide text-slate-500">AI&apos;s analysis of its miss</h3>
      <p className="mt-1 text-sm text-slate-500">Appears here once the AI engine&apos;s self-critique is enabled.</p>
    </section>
  );
}
