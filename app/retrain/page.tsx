import { listModelVersions } from "@/lib/ai/list-model-versions";
import { requirePageUser } from "@/lib/auth/session";
import type { RetrainConfig } from "@/lib/retrain/read-retrain-config";
import { resolveRetrainConfig, type ResolvedRetrainConfig } from "@/lib/retrain/resolve-retrain-config";
import { listTargetReadiness, type TargetReadiness } from "@/lib/retrain/list-target-readiness";
import { estimateNextFineTune, formatUsd, type NextFineTune } from "@/lib/retrain/estimate-next-fine-tune";
import { METHOD_LABELS, TARGET_LABELS, type TargetName } from "@/lib/retrain/fine-tune-target";
import { defaultSince } from "@/lib/training/find-worst-prompts";
import { readTrainingSettings } from "@/lib/training/read-training-settings";
import { listEvaluations, listRuns, runCounts, runEvents, type ModelEvaluation, type RetrainRun } from "@/lib/retrain/runs";
import { isoWeek } from "@/lib/retrain/iso-week";
import { RetrainButton } from "./retrain-button";
import { TargetSettingForm } from "./target-setting-form";
import { AzureDeploymentForm } from "./azure-deployment-form";
import { describeAzureDeployment } from "@/lib/retrain/describe-azure-deployment";

export const metadata = { title: "Retrain" };
export const dynamic = "force-dynamic";

const date = (d: Date | string | null) =>
  d ? new Date(d).toLocaleString("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone: "UTC" }) + " UTC" : "—";

const STATUS_STYLE: Record<RetrainRun["status"], string> = {
  running: "bg-sky-50 text-sky-800 ring-sky-200",
  uploading: "bg-sky-50 text-sky-800 ring-sky-200",
  training: "bg-sky-50 text-sky-800 ring-sky-200",
  deploying: "bg-sky-50 text-sky-800 ring-sky-200",
  awaiting_deployment: "bg-amber-50 text-amber-900 ring-amber-200",
  evaluating: "bg-sky-50 text-sky-800 ring-sky-200",
  held: "bg-amber-50 text-amber-900 ring-amber-200",
  succeeded: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  failed: "bg-rose-50 text-rose-800 ring-rose-200",
  discarded: "bg-slate-100 text-slate-700 ring-slate-200",
  skipped: "bg-slate-100 text-slate-700 ring-slate-200",
};

/**
 * The weekly retrain: where it trains (the manager may choose), its runs, the held dataset to
 * approve, each evaluation with promote / discard / roll back. Viewing it only reads: the
 * provider's jobs are polled by the scheduled job (GET /api/cron/fine-tunes, every 30 minutes),
 * and prompt groups are brought up to date by ingest and the job, never by a page view; the
 * estimate counts on the grouping as stored.
 */
export default async function RetrainPage() {
  await requirePageUser("manager");
  const resolved = await resolveRetrainConfig();
  const { config } = resolved;
  const readiness = listTargetReadiness();
  const runs = await listRuns(20);
  const [evaluations, versions] = await Promise.all([listEvaluations(runs.map((r) => r.id)), listModelVersions()]);
  const labelOf = new Map(versions.map((v) => [v.id, v.label]));
  const thisWeek = isoWeek(new Date());
  const settings = readTrainingSettings();
  const estimate = await estimateNextFineTune({ config, since: defaultSince(settings.windowDays), threshold: settings.threshold });

  return (
    <main className="mx-auto max-w-5xl px-6 py-6">
      <div className="flex items-start justify-between gap-4">
        <div>
          <h1 className="text-lg font-semibold">Retrain</h1>
          <p className="mt-0.5 text-sm text-slate-600">
            Once a week the worst prompts become a dataset, the dataset trains a candidate model, and the candidate is compared with the active one before anything changes.
          </p>
        </div>
        <RetrainButton kind="run" isoWeek={thisWeek} />
      </div>

      <dl className="mt-4 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-5">
        <Setting label="Mode" value={config.mode === "review" ? "Review (a manager approves)" : "Upload at once"} />
        <Setting label="Target in force" value={targetDescription(config)} testId="target-in-force" note={sourceNote(resolved)} wide />
        <Setting label="Promotion" value={config.autoPromote ? "Automatic when the candidate wins" : "A manager decides"} />
        <Setting label="This week" value={thisWeek} />
      </dl>
      <TargetPanel resolved={resolved} readiness={readiness} />
      <NextFineTunePanel estimate={estimate} target={config.target} />

      {runs.length === 0 ? (
        <p className="mt-6 rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600">
          No retrain has run yet. It runs on Mondays at 06:00 UTC when scheduled (see the README), or now with “Run now”.
        </p>
      ) : (
        <ul className="mt-5 space-y-4">
          {runs.map((run) => (
            <RunCard key={run.id} run={run} evaluations={evaluations.filter((e) => e.runId === run.id)} labelOf={labelOf} />
          ))}
        </ul>
      )}
    </main>
  );
}

function targetDescription(config: RetrainConfig): string {
  const label = TARGET_LABELS[config.target];
  if (config.target === "local") return `${label} (classifier + retrieval)`;
  if (config.target === "manual") return `${label}: ${METHOD_LABELS[config.method]} file`;
  return `${label}: ${METHOD_LABELS[config.method]} of ${config.baseModel}`;
}

/** Cost before upload and how many more examples (or preference pairs) the next fine-tune needs, per target. */
function NextFineTunePanel({ estimate, target }: { estimate: NextFineTune; target: TargetName }) {
  const current = estimate.targets.find((t) => t.target === target)!;
  const { unit, grouping } = estimate;
  return (
    <section aria-labelledby="next-fine-tune" className="mt-3 rounded-lg border border-slate-200 bg-white p-4 text-sm">
      <h2 id="next-fine-tune" className="font-medium text-slate-900">Next fine-tune, if it ran now</h2>
      <p data-testid="next-fine-tune-summary" className="mt-1 text-slate-700">
        {unit === "preference pairs"
          ? `${estimate.preferencePairs} preference pairs (from ${estimate.examples} examples) from ${estimate.worstPrompts} worst prompts`
          : `${estimate.examples} examples and ${estimate.preferencePairs} preference pairs from ${estimate.worstPrompts} worst prompts`}{" "}
        · {estimate.tokens.toLocaleString("en-GB")} tokens × {estimate.epochs} epochs = {estimate.billedTokens.toLocaleString("en-GB")} training tokens.{" "}
        {current.needed > 0 ? (
          <strong className="font-medium text-amber-900">
            {current.needed} more {unit} needed for {current.label} (minimum {current.minExamples}); small weeks carry over.
          </strong>
        ) : (
          <span>Enough {unit} for {current.label}.</span>
        )}
      </p>
      <table className="mt-2 text-xs text-slate-700">
        <thead>
          <tr className="text-left text-slate-500">
            <th className="pr-6 font-medium">Target</th>
            <th className="pr-6 font-medium">Estimated price</th>
            <th className="pr-6 font-medium">USD / 1M tokens</th>
            <th className="font-medium">Minimum {unit}</th>
          </tr>
        </thead>
        <tbody>
          {estimate.targets
            .filter((t) => t.target !== "local" && t.target !== "manual")
            .map((t) => (
              <tr key={t.target} className={t.target === target ? "font-medium text-slate-900" : undefined}>
                <td className="pr-6">{t.label}{t.target === target && " (in force)"}</td>
                {t.pricePerMillion === null ? (
                  <td colSpan={2} className="pr-6 text-slate-500">
                    {formatUsd(null)}: set <code className="text-[11px]">FINE_TUNE_PRICES={t.target}=…</code>
                  </td>
                ) : (
                  <>
                    <td className="pr-6 tabular-nums">{formatUsd(t.usd)}</td>
                    <td className="pr-6 tabular-nums">{t.pricePerMillion}</td>
                  </>
                )}
                <td className="tabular-nums">{t.minExamples}{t.needed > 0 && ` (${t.needed} more)`}</td>
              </tr>
            ))}
        </tbody>
      </table>
      <p className="mt-2 text-xs text-slate-500">
        Candidates before dedupe and the token limit. Prices only from FINE_TUNE_PRICES (the providers&rsquo; rates depend on the base model&rsquo;s size and the method); a DPO pair counts 1.5× its tokens.
      </p>
      <p data-testid="grouping-status" className="mt-1 text-xs text-slate-500">
        Counted on the prompt groups as stored, last brought up to date {grouping.lastGroupedAt ? date(grouping.lastGroupedAt) : "never"}
        {grouping.waiting > 0
          ? `; ${grouping.waiting.toLocaleString("en-GB")} replays since ${date(grouping.waitingSince)} are not grouped yet (the run groups them first).`
          : "; every submitted replay is grouped."}
      </p>
    </section>
  );
}

function Setting({ label, value, note, testId, wide }: { label: string; value: string; note?: string; testId?: string; wide?: boolean }) {
  return (
    <div className={wide ? "sm:col-span-2" : undefined}>
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd data-testid={testId} className="mt-0.5 text-slate-800">
        {value}
        {note && <span className="mt-0.5 block text-xs text-slate-500">{note}</span>}
      </dd>
    </div>
  );
}

function sourceNote({ source }: ResolvedRetrainConfig): string {
  if (source.kind === "configuration") return "From the configuration (FINE_TUNE_TARGET, FINE_TUNE_METHOD).";
  return `Chosen on this page${source.updatedByEmail ? ` by ${source.updatedByEmail}` : ""}, ${date(source.updatedAt)}.`;
}

/**
 * Where the next runs train: the manager's choice among the targets this server is configured
 * for; the others are named with the environment variables they still need.
 */
function TargetPanel({ resolved, readiness }: { resolved: ResolvedRetrainConfig; readiness: TargetReadiness[] }) {
  const { config, source, configured } = resolved;
  const ready = readiness.filter((t) => t.ready).map((t) => t.target);
  const missing = readiness.filter((t) => !t.ready);
  const inForce = readiness.find((t) => t.target === config.target)!;
  return (
    <section aria-labelledby="fine-tune-target" className="mt-3 rounded-lg border border-slate-200 bg-white p-4 text-sm">
      <h2 id="fine-tune-target" className="font-medium text-slate-900">Where the next runs train</h2>
      <p className="mt-1 text-slate-600">
        The configuration says {TARGET_LABELS[configured.target]}, {METHOD_LABELS[configured.method]}. A choice here overrides it for this page, the weekly job and the CLI; runs already started keep their target.
      </p>
      {!inForce.ready && (
        <p role="alert" className="mt-2 rounded-md bg-amber-50 px-3 py-2 text-amber-900">
          {inForce.label} is in force but not configured on this server: set {inForce.missing.join(" and ")}, or choose another target.
        </p>
      )}
      <div className="mt-3">
        <TargetSettingForm
          ready={ready}
          current={{ target: config.target, method: config.method, baseModel: source.kind === "page" && source.baseModelChosen ? config.baseModel : null }}
          configured={configured}
          fromPage={source.kind === "page"}
        />
      </div>
      {missing.length > 0 && (
        <div className="mt-3 text-xs text-slate-500">
          <p>Not configured on this server, so not offered:</p>
          <ul data-testid="unconfigured-targets" className="mt-1 space-y-0.5">
            {missing.map((t) => (
              <li key={t.target}>
                <span className="text-slate-700">{t.label}</span>: set {t.missing.map((m, i) => (
                  <span key={m}>
                    {i > 0 && " and "}
                    <code className="text-[11px]">{m}</code>
                  </span>
                ))}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

/** An Azure fine-tune without management credentials: the manager deploys it and enters the name. */
function ManualAzureDeployment({ run }: { run: RetrainRun }) {
  const manual = describeAzureDeployment(run);
  return (
    <div data-testid="azure-deployment" className="mt-3 rounded-md border border-amber-200 bg-amber-50/60 p-3 text-sm text-amber-950">
      <p className="font-medium">Deploy the model in Azure</p>
      <p className="mt-1">
        Azure serves a fine-tuned model only through a deployment. Deploy <code className="text-xs">{run.fineTunedModel}</code> (Azure portal, or this command), then enter the deployment&rsquo;s name: the run goes on to evaluation. It waits here until then; the scheduled job does not time it out.
      </p>
      <pre data-testid="azure-deploy-command" className="mt-2 overflow-x-auto rounded bg-white p-2 text-[11px] text-slate-800 ring-1 ring-amber-200">{manual.command}</pre>
      <AzureDeploymentForm runId={run.id} suggestedName={manual.suggestedName} />
      {manual.forAutomatic.length > 0 && (
        <p className="mt-2 text-xs text-amber-900">
          To let the next runs deploy themselves, set {manual.forAutomatic.map((m, i) => (
            <span key={m}>
              {i > 0 && ", "}
              <code className="text-[11px]">{m}</code>
            </span>
          ))} (a service principal with the Cognitive Services Contributor role on the resource; see the README).
        </p>
      )}
    </div>
  );
}

function RunCard({ run, evaluations, labelOf }: { run: RetrainRun; evaluations: ModelEvaluation[]; labelOf: Map<string, string> }) {
  const counts = runCounts(run);
  const events = runEvents(run);
  const unit = run.method === "dpo" ? "preference pairs" : "examples";
  return (
    <li id={`run-${run.id}`} data-testid="retrain-run" className="rounded-lg border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium text-slate-900">{run.isoWeek}</span>
        <span data-testid="run-status" className={`rounded-full px-2 py-px text-[11px] font-medium ring-1 ${STATUS_STYLE[run.status]}`}>{run.status}</span>
        <span className="text-xs text-slate-500">
          {TARGET_LABELS[run.target]}{run.method && run.method !== "sft" ? ` · ${run.method}${run.method === "sft-dpo" && run.stage ? ` (${run.stage} stage)` : ""}` : ""} · {run.mode} · by {run.trigger} · {date(run.createdAt)}
          {run.attempts > 1 && ` · attempt ${run.attempts}`}
        </span>
      </div>
      <p className="mt-2 text-sm text-slate-700">
        {counts.worstPrompts ?? 0} worst prompts → {counts.examples ?? 0} {unit} ({counts.train ?? 0} train, {counts.validation ?? 0} validation)
        {counts.preferencePairs !== undefined && ` · then DPO on ${counts.preferencePairs} preference pairs`}
        {counts.dropped && ` · dropped ${counts.dropped.duplicate ?? 0} duplicates, ${counts.dropped.tooLong ?? 0} too long, ${counts.dropped.unusable ?? 0} unusable`}
      </p>
      {counts.reason && <p className="mt-1 text-sm text-slate-600">{counts.reason}</p>}
      {run.status === "training" && run.fineTuneJobId && (
        <div className="mt-2 flex items-center gap-3 text-sm text-slate-600">
          <span>Job <code className="text-xs">{run.fineTuneJobId}</code> is training.</span>
          <RetrainButton kind="cancel" runId={run.id} />
        </div>
      )}
      {run.error && <p role="alert" className="mt-2 rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">{run.error}</p>}
      {run.status === "failed" && (
        <div className="mt-2 flex items-center gap-3 text-sm text-slate-600">
          <RetrainButton kind="retry" runId={run.id} />
          <span>Resumes where it stopped; files already uploaded are not sent again.</span>
        </div>
      )}
      {run.status === "training" && (
        <p className="mt-1 text-sm text-slate-600">
          Training at the provider. The scheduled job checks it every 30 minutes (GET /api/cron/fine-tunes); last checked {date(run.updatedAt)}.
        </p>
      )}
      {run.fineTunedModel && <p className="mt-1 text-sm text-slate-700">Fine-tuned model: <code className="text-xs">{run.fineTunedModel}</code></p>}
      {run.deploymentName && run.status !== "awaiting_deployment" && <p className="mt-1 text-sm text-slate-700">Azure deployment: <code className="text-xs">{run.deploymentName}</code></p>}
      {run.status === "deploying" && (
        <p className="mt-1 text-sm text-slate-600">
          Deploying the model in Azure. The scheduled job checks the deployment every 30 minutes (GET /api/cron/fine-tunes); last checked {date(run.updatedAt)}.
        </p>
      )}
      {run.status === "awaiting_deployment" && <ManualAzureDeployment run={run} />}

      {run.status === "held" && run.datasetId && (
        <div className="mt-3 flex flex-wrap items-center gap-3 rounded-md border border-amber-200 bg-amber-50/60 p-3">
          <p className="text-sm text-amber-900">
            {run.target === "local" || run.target === "manual" ? "This dataset waits for your review before it is used." : `This dataset waits for your review before anything is uploaded to ${TARGET_LABELS[run.target]}.`}
          </p>
          <a href={`/api/training/export?dataset=${run.datasetId}`} download className="text-sm font-medium text-indigo-700 hover:underline">Download JSONL</a>
          <RetrainButton kind="approve" runId={run.id} target={run.target} />
        </div>
      )}
      {run.target === "manual" && run.status === "succeeded" && run.datasetId && (
        <div className="mt-3 rounded-md border border-slate-200 bg-slate-50 p-3 text-sm text-slate-700">
          <a href={`/api/training/export?dataset=${run.datasetId}`} download className="font-medium text-indigo-700 hover:underline">Download the dataset (JSONL)</a>
          <ol className="mt-2 list-decimal space-y-0.5 pl-5">
            <li>Upload the file to your fine-tuning provider ({run.method === "dpo" ? "preference pairs for DPO" : "chat format"}, one example per line).</li>
            <li>Start a fine-tune of your base model; keep the job id.</li>
            <li>When it succeeds, point the app at it: set <code className="text-xs">OPENAI_MODEL</code> (and <code className="text-xs">OPENAI_BASE_URL</code> for another provider) to the fine-tuned model and restart; it appears on the Models page.</li>
            <li>Compare it with the current version on the Models page and the dashboard before keeping it active.</li>
          </ol>
        </div>
      )}

      {evaluations.map((e) => (
        <Evaluation key={e.id} evaluation={e} labelOf={labelOf} unit={unit} />
      ))}

      {events.length > 0 && (
        <details className="mt-3">
          <summary className="cursor-pointer text-xs font-medium text-slate-600">Events ({events.length})</summary>
          <ol className="mt-2 space-y-0.5 text-xs text-slate-600">
            {events.map((ev, i) => (
              <li key={i} className={ev.level === "error" ? "text-rose-700" : ev.level === "warning" ? "text-amber-800" : undefined}>
                <span className="tabular-nums text-slate-400">{date(ev.at)}</span> {ev.source === "provider" && <span className="text-slate-400">[provider]</span>} {ev.message}
              </li>
            ))}
          </ol>
        </details>
      )}
    </li>
  );
}

function Evaluation({ evaluation: e, labelOf, unit }: { evaluation: ModelEvaluation; labelOf: Map<string, string>; unit: string }) {
  const candidate = labelOf.get(e.candidateVersionId) ?? "candidate";
  const baseline = labelOf.get(e.baselineVersionId) ?? "baseline";
  const pct = (n: number) => `${(100 * n).toFixed(1)}%`;
  return (
    <div data-testid="evaluation" className="mt-3 rounded-md border border-slate-200 p-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-slate-800">
          <span className="font-medium">{candidate}</span> vs <span className="font-medium">{baseline}</span> (active then) on {e.examples} held-out {unit}
        </p>
        <span data-testid="evaluation-decision" className="text-xs font-medium text-slate-600">{e.decision.replace("_", " ")}</span>
      </div>
      <table className="mt-2 text-sm">
        <tbody>
          <tr>
            <td className="pr-4 text-slate-500">Similarity to the agents’ replies</td>
            <td className="pr-4 tabular-nums">{pct(e.candidateScore)}</td>
            <td className="tabular-nums text-slate-500">vs {pct(e.baselineScore)}</td>
          </tr>
          {e.pairwiseWins !== null && (
            <tr>
              <td className="pr-4 text-slate-500">Judged pairwise (order swapped)</td>
              <td colSpan={2} className="tabular-nums">
                {e.pairwiseWins} better · {e.pairwiseLosses} worse · {e.pairwiseTies} ties
              </td>
            </tr>
          )}
          <tr>
            <td className="pr-4 text-slate-500">Winner</td>
            <td colSpan={2} data-testid="evaluation-winner" className="font-medium">
              {{ candidate: "the candidate", baseline: "the current version", tie: "neither (a tie)", none: "no examples to compare" }[e.winner] ?? e.winner}
            </td>
          </tr>
        </tbody>
      </table>
      <div className="mt-3 flex flex-wrap gap-2">
        {e.decision === "pending" && (
          <>
            <RetrainButton kind="promote" evaluationId={e.id} />
            <RetrainButton kind="discard" evaluationId={e.id} />
          </>
        )}
        {e.decision === "promoted" && <RetrainButton kind="rollback" evaluationId={e.id} />}
      </div>
    </div>
  );
}
