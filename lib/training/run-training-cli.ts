import "server-only";
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { recordAudit } from "@/lib/audit/record-audit";
import { findWorstPrompts, defaultSince } from "@/lib/training/find-worst-prompts";
import { regroupReplays } from "@/lib/meaning/regroup-replays";
import { describeProblems, validateJsonl, type ValidationReport } from "@/lib/training/validate-jsonl";
import { describePreferenceProblems, validatePreferenceJsonl } from "@/lib/training/validate-preference-jsonl";
import { writeJsonlFile } from "@/lib/training/write-jsonl-file";
import type { DatasetRow } from "@/lib/training/list-datasets";

export class TrainingUsageError extends Error {}

export const TRAINING_USAGE = `  export --out FILE [--format sft|dpo] [--split train|validation] [--worst-prompts] [--days N]
                                               write training data as JSONL (sft: OpenAI chat format;
                                               dpo: preference pairs, agent reply preferred over the AI's):
                                               approved examples, or with --worst-prompts exactly what
                                               the weekly job would send now (review not required)
  training worst [--days N]                    list the worst prompt groups
  training regroup [--all]                     group replays that have no prompt group (--all: regroup everything)
  training validate FILE [--format sft|dpo]    check a JSONL file against the fine-tuning format rules`;

function parseDays(days: string | undefined): Date | undefined {
  if (days === undefined) return undefined;
  const n = Number(days);
  if (!Number.isInteger(n) || n < 1) throw new TrainingUsageError("--days must be a whole number of days (1 or more).");
  return defaultSince(n);
}

function printReport(report: ValidationReport, format: "sft" | "dpo") {
  const described = format === "dpo" ? describePreferenceProblems(report) : describeProblems(report);
  console.log(`Validation: ${report.lines} lines, ${report.validExamples} valid examples — ${report.ok ? "OK for fine-tuning" : `NOT OK: ${described}`}`);
  for (const sample of report.samples.slice(0, 5)) console.log(`  line ${sample.line}: ${sample.code}`);
}

function printDataset(row: DatasetRow, out: string) {
  const dropped = row.dropped;
  console.log(`Wrote ${row.exampleCount} ${row.format === "dpo" ? "preference pairs" : "examples"} (${row.trainCount} train, ${row.validationCount} validation) to ${out}`);
  console.log(`Dropped: ${dropped.duplicate ?? 0} duplicates, ${dropped.unusable ?? 0} without a usable completion, ${dropped.tooLong ?? 0} over the token limit`);
  console.log(`Recorded as dataset ${row.id}, sha256 ${row.sha256}, ${row.bytes} bytes`);
  if (row.validation) printReport(row.validation, row.format);
}

/** `npm run cli -- export …` and `npm run cli -- training …`; returns the exit code. */
export async function runTrainingCli({
  command,
  sub,
  arg,
  values,
}: {
  command: string;
  sub?: string;
  arg?: string;
  values: { out?: string; split?: string; "worst-prompts"?: boolean; days?: string; all?: boolean; format?: string };
}): Promise<number> {
  if (values.format !== undefined && values.format !== "sft" && values.format !== "dpo") {
    throw new TrainingUsageError("--format must be sft or dpo (leave it out for sft).");
  }
  const format = (values.format ?? "sft") as "sft" | "dpo";
  if (command === "export") {
    if (!values.out) throw new TrainingUsageError("export needs --out FILE.");
    if (values.split !== undefined && values.split !== "train" && values.split !== "validation") {
      throw new TrainingUsageError("--split must be train or validation (leave it out for both).");
    }
    const split = (values.split ?? "all") as "all" | "train" | "validation";
    const row = await writeJsonlFile({
      out: values.out,
      request: { source: values["worst-prompts"] ? "worst-prompts" : "approved", split, format, since: parseDays(values.days), createdVia: "cli" },
    });
    await recordAudit({ actor: { type: "cli" }, action: "training.export", target: row.id, details: { datasetId: row.id, source: row.source, split: row.split, examples: row.exampleCount } });
    printDataset(row, values.out);
    return row.validation?.ok ? 0 : 2;
  }
  if (sub === "worst") {
    const worst = await findWorstPrompts({ since: parseDays(values.days) });
    if (worst.length === 0) console.log("No prompt group is over the threshold in the window.");
    for (const w of worst) {
      console.log(`${String(w.noCount).padStart(4)} no  ${String(w.yesCount).padStart(4)} yes  ${(100 * w.usefulRate).toFixed(0).padStart(3)}% useful  ${w.groupId}  (${w.pendingReview} to review)`);
    }
    return 0;
  }
  if (sub === "regroup") {
    const result = await regroupReplays({ all: values.all, onProgress: (done, total) => process.stdout.write(`\r${done} of ${total} replays grouped`) });
    console.log(`\r${result.regrouped ? "Regrouped" : "Grouped"} ${result.replays} replays by meaning; ${result.groups >= 0 ? `${result.groups} more` : `${-result.groups} fewer`} prompt groups.`);
    return 0;
  }
  if (sub === "validate") {
    if (!arg) throw new TrainingUsageError("training validate needs a FILE.");
    const lines = createInterface({ input: createReadStream(arg), crlfDelay: Infinity });
    const report = format === "dpo" ? await validatePreferenceJsonl(lines) : await validateJsonl(lines);
    printReport(report, format);
    return report.ok ? 0 : 2;
  }
  throw new TrainingUsageError(`Unknown training command "${sub ?? ""}".`);
}
