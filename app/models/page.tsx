import { getActiveModelVersion } from "@/lib/ai/get-active-model-version";
import { listModelVersions } from "@/lib/ai/list-model-versions";
import { describeEndpoint, readAiConfig } from "@/lib/ai/read-ai-config";
import { requirePageUser } from "@/lib/auth/session";
import { DataTable } from "@/components/ui/data-table";
import { ActivateButton } from "./activate-button";

export const metadata = { title: "Models" };
export const dynamic = "force-dynamic";

const date = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC" }) + " UTC" : "—";

const chosenBy = (by: string | null, name: string | null) =>
  by === "manager" ? `by ${name ?? "a manager"}` : by === "retrain" ? "by the retrain" : by === "config" ? "by configuration" : "";

/** The model registry: which version writes suggestions, how each has fared, and the switch. */
export default async function ModelsPage() {
  await requirePageUser("manager");
  const config = readAiConfig();
  const [effective, versions] = await Promise.all([getActiveModelVersion(config), listModelVersions()]);
  const openai = config.openai;

  return (
    <main className="mx-auto max-w-5xl px-6 py-6">
      <h1 className="text-lg font-semibold">Models</h1>
      <p className="mt-0.5 text-sm text-slate-600">
        Every suggestion records the model version that wrote it. The active version writes new suggestions from the next request on; both kinds learn from your team&apos;s corrections at once.
      </p>

      <dl className="mt-4 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-2">
        <div>
          <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">Provider</dt>
          <dd className="mt-0.5 text-slate-800" data-testid="provider-status">
            {openai ? (
              <>OpenAI-compatible API at {describeEndpoint(openai)}</>
            ) : (
              <>Local only: no AI provider is called. Set OPENAI_API_KEY (or OPENAI_BASE_URL) to add OpenAI.</>
            )}
          </dd>
        </div>
        <div>
          <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">Why-it-failed analysis</dt>
          <dd className="mt-0.5 text-slate-800">{openai ? `${openai.analysisModel} (structured output)` : "Local heuristic (compares the AI reply with the agent's)"}</dd>
        </div>
      </dl>

      {effective.fallbackFrom && (
        <p role="alert" className="mt-4 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {effective.fallbackFrom.label} is active but runs on OpenAI, which is not configured here: the local model writes suggestions until it is.
        </p>
      )}

      <DataTable
        className="mt-5"
        columns={[{ label: "Version" }, { label: "Suggestions", align: "right" }, { label: "Useful", align: "right" }, { label: "Active since" }, { label: "Actions", hidden: true }]}
      >
        {versions.map((v) => (
          <tr key={v.id} data-testid="model-version" className={v.isActive ? "bg-indigo-50/50" : undefined}>
            <td className="px-4 py-3 align-top">
              <div className="flex items-center gap-2">
                <span className="font-medium text-slate-900">{v.label}</span>
                {v.provider === "local" ? (
                  <span className="rounded bg-teal-50 px-1.5 py-px text-[11px] font-medium text-teal-800 ring-1 ring-teal-200">Local</span>
                ) : (
                  <span className="rounded bg-slate-100 px-1.5 py-px text-[11px] font-medium text-slate-700">OpenAI</span>
                )}
                {v.isActive && <span className="rounded-full bg-indigo-600 px-2 py-px text-[11px] font-medium text-white">Active</span>}
              </div>
              {v.notes && <p className="mt-0.5 text-xs text-slate-500">{v.notes}</p>}
            </td>
            <td className="px-4 py-3 text-right align-top tabular-nums">{v.suggestions.toLocaleString("en")}</td>
            <td className="px-4 py-3 text-right align-top tabular-nums" title={`${v.useful} useful of ${v.judged} judged`}>
              {v.judged ? `${Math.round((100 * v.useful) / v.judged)}%` : "—"}
              <span className="block text-xs text-slate-500">{v.judged ? `of ${v.judged.toLocaleString("en")}` : ""}</span>
            </td>
            <td className="px-4 py-3 align-top text-xs text-slate-600">
              {v.isActive ? date(v.promotedAt) : v.promotedAt ? `last ${date(v.promotedAt)}` : `added ${date(v.createdAt)}`}
              {v.isActive && <span className="block text-slate-500">{chosenBy(v.activatedBy, v.activatedByName)}</span>}
            </td>
            <td className="px-4 py-3 text-right align-top">
              {!v.isActive && (
                <ActivateButton
                  id={v.id}
                  label={v.label}
                  disabledReason={v.provider === "openai" && !openai ? "OpenAI is not configured here (OPENAI_API_KEY or OPENAI_BASE_URL)." : undefined}
                />
              )}
            </td>
          </tr>
        ))}
      </DataTable>
    </main>
  );
}
