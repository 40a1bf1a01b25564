import { requirePageUser } from "@/lib/auth/session";
import { describeProblems } from "@/lib/training/validate-jsonl";
import { listDatasets, type DatasetRow } from "@/lib/training/list-datasets";
import { readTrainingSettings } from "@/lib/training/read-training-settings";

export const metadata = { title: "Training datasets" };
export const dynamic = "force-dynamic";

function size(bytes: number | null) {
  if (bytes === null) return "—";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 2 ** 20) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 2 ** 20).toFixed(1)} MB`;
}

function madeBy(row: DatasetRow) {
  if (row.createdByName) return row.createdByName;
  if (row.apiKeyName) return `API key “${row.apiKeyName}”`;
  return row.createdVia;
}

export default async function DatasetsPage() {
  await requirePageUser("manager");
  const settings = readTrainingSettings();
  const datasets = await listDatasets();
  return (
    <main className="py-6">
      <h1 className="text-xl font-semibold tracking-tight">Datasets</h1>
      <p className="mt-1 max-w-3xl text-sm text-slate-600">
        Every export is recorded here: which examples, the file&apos;s SHA-256, what was dropped and whether the file passes OpenAI&apos;s
        fine-tuning format rules. Examples are redacted, deduplicated and split into train and validation by question
        ({Math.round(settings.validationShare * 100)}% validation) before they leave.
      </p>

      <div className="mt-5 grid max-w-4xl gap-3 md:grid-cols-2">
        <a
          href="/api/training/export?source=approved"
          download
          data-testid="export-approved"
          className="rounded-lg border border-indigo-200 bg-white px-4 py-3 hover:border-indigo-400 hover:bg-indigo-50"
        >
          <span className="block font-medium text-indigo-800">Export approved examples ↓</span>
          <span className="mt-0.5 block text-xs text-slate-600">What managers approved in review. JSONL in OpenAI chat format.</span>
        </a>
        <a
          href="/api/training/export?source=worst-prompts"
          download
          data-testid="export-worst"
          className="rounded-lg border border-slate-200 bg-white px-4 py-3 hover:border-slate-400 hover:bg-slate-50"
        >
          <span className="block font-medium text-slate-800">Export what the weekly job would send now ↓</span>
          <span className="mt-0.5 block text-xs text-slate-600">
            Examples of the worst prompts (over {settings.threshold} &ldquo;not useful&rdquo;, last {settings.windowDays} days), review not required;
            rejected and merged ones left out.
          </span>
        </a>
      </div>

      {datasets.length === 0 ? (
        <p className="mt-8 rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-sm text-slate-600">No exports yet.</p>
      ) : (
        <table className="mt-6 w-full overflow-hidden rounded-lg border border-slate-200 bg-white text-sm" data-testid="datasets">
          <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className="px-3 py-2">Made</th>
              <th className="px-3 py-2">Source</th>
              <th className="px-3 py-2 text-right">Examples</th>
              <th className="px-3 py-2">Dropped</th>
              <th className="px-3 py-2">Format check</th>
              <th className="px-3 py-2">File</th>
              <th className="px-3 py-2" />
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {datasets.map((d) => (
              <tr key={d.id} id={`dataset-${d.id}`} data-testid="dataset-row" data-id={d.id} className="align-top">
                <td className="whitespace-nowrap px-3 py-2">
                  <span className="block">{new Date(d.createdAt).toLocaleString("en-GB")}</span>
                  <span className="text-xs text-slate-500">by {madeBy(d)} · {d.createdVia}</span>
                </td>
                <td className="px-3 py-2">
                  <span className="block">{d.source === "approved" ? "Approved" : "Worst prompts"}</span>
                  <span className="text-xs text-slate-500">{d.split === "all" ? "train + validation" : d.split}</span>
                </td>
                <td className="px-3 py-2 text-right tabular-nums">
                  <span className="block font-medium">{d.exampleCount.toLocaleString("en")}</span>
                  <span className="text-xs text-slate-500">
                    {d.trainCount.toLocaleString("en")} / {d.validationCount.toLocaleString("en")}
                  </span>
                </td>
                <td className="px-3 py-2 text-xs text-slate-600">
                  {d.dropped.duplicate ?? 0} duplicates · {d.dropped.unusable ?? 0} unusable · {d.dropped.tooLong ?? 0} too long
                </td>
                <td className="px-3 py-2 text-xs">
                  {d.status !== "complete" ? (
                    <span className="text-slate-500">{d.status === "writing" ? "writing…" : "interrupted"}</span>
                  ) : d.validation?.ok ? (
                    <span className="rounded bg-emerald-100 px-1.5 py-px font-medium text-emerald-800">passes</span>
                  ) : (
                    <span className="text-rose-800">
                      <span className="rounded bg-rose-100 px-1.5 py-px font-medium">fails</span> {d.validation ? describeProblems(d.validation) : ""}
                    </span>
                  )}
                </td>
                <td className="px-3 py-2 text-xs text-slate-600">
                  <span className="block">{size(d.bytes)}</span>
                  {d.sha256 && (
                    <code className="text-[11px] text-slate-500" title={d.sha256} data-testid="dataset-sha256">
                      sha256 {d.sha256.slice(0, 12)}…
                    </code>
                  )}
                </td>
                <td className="px-3 py-2 text-right">
                  {d.status === "complete" && (
                    <a href={`/api/training/export?dataset=${d.id}`} download className="text-sm font-medium text-indigo-700 hover:underline">
                      Download
                    </a>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
