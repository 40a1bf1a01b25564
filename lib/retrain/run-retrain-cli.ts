import "server-only";
import { runRetrain, type RetrainOutcome } from "@/lib/retrain/run-retrain";
import { formatUsd } from "@/lib/retrain/estimate-next-fine-tune";
import { runCounts } from "@/lib/retrain/runs";

export const RETRAIN_USAGE = `  retrain [--dry-run]                          the weekly retrain now (once per ISO week; --dry-run writes nothing)`;

/** `npm run cli -- retrain [--dry-run]`: for a self-hosted crontab. Lines for people, exit 1 on a failed run. */
export async function runRetrainCli({ dryRun }: { dryRun: boolean }): Promise<{ lines: string[]; exitCode: number }> {
  const outcome = await runRetrain({ trigger: "cli", dryRun });
  return { lines: describeOutcome(outcome), exitCode: outcome.status === "done" && outcome.run.status === "failed" ? 1 : 0 };
}

export function describeOutcome(outcome: RetrainOutcome): string[] {
  switch (outcome.status) {
    case "locked":
    case "already-ran":
      return [outcome.message];
    case "dry-run": {
      const { estimate } = outcome;
      const { waiting, lastGroupedAt } = estimate.grouping;
      return [
        `Dry run for ${outcome.isoWeek} (mode ${outcome.mode}, target ${outcome.target}); nothing was written.`,
        `Worst prompts: ${outcome.worstPrompts}; candidate ${estimate.unit} before hygiene: ${outcome.candidateExamples}.`,
        `Counted on the prompt grouping as stored (last grouped ${lastGroupedAt ? lastGroupedAt.toISOString() : "never"}${waiting ? `; ${waiting} newer replays not grouped yet, the run groups them first` : ""}).`,
        `Would ${outcome.wouldDo}.`,
        `Cost before upload (${outcome.method}): ${estimate.tokens} tokens × ${estimate.epochs} epochs = ${estimate.billedTokens} training tokens.`,
        ...estimate.targets.map((t) =>
          t.pricePerMillion === null
            ? `  ${t.label.padEnd(26)} ${"—".padStart(12)}  (price not configured: set FINE_TUNE_PRICES=${t.target}=<USD per 1M tokens>; minimum ${t.minExamples} ${estimate.unit}${t.needed ? `, ${t.needed} more needed` : ""})`
            : `  ${t.label.padEnd(26)} ${formatUsd(t.usd).padStart(12)}  (${t.pricePerMillion} USD / 1M tokens; minimum ${t.minExamples} ${estimate.unit}${t.needed ? `, ${t.needed} more needed` : ""})`,
        ),
      ];
    }
    case "done": {
      const counts = runCounts(outcome.run);
      const unit = outcome.run.method === "dpo" ? "preference pairs" : "examples";
      return [
        `Retrain ${outcome.isoWeek}: ${outcome.run.status}.`,
        `Worst prompts: ${counts.worstPrompts ?? 0}; ${unit}: ${counts.examples ?? 0} (${counts.train ?? 0} train, ${counts.validation ?? 0} validation)${counts.preferencePairs !== undefined ? `; then DPO on ${counts.preferencePairs} preference pairs` : ""}.`,
        ...(counts.reason ? [counts.reason] : []),
        ...(outcome.run.error ? [`Error: ${outcome.run.error}`] : []),
      ];
    }
  }
}

/** The JSON the cron routes return: counts and statuses, no customer text. */
export function summarizeOutcome(outcome: RetrainOutcome) {
  if (outcome.status !== "done" && outcome.status !== "already-ran") return outcome;
  const { run } = outcome;
  return {
    status: outcome.status,
    isoWeek: outcome.isoWeek,
    run: { id: run.id, status: run.status, mode: run.mode, target: run.target, attempts: run.attempts, counts: run.counts, fineTuneJobId: run.fineTuneJobId, error: run.error },
    ...(outcome.status === "already-ran" ? { message: outcome.message } : {}),
  };
}
