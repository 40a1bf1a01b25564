import "server-only";
import { activateModelVersion } from "@/lib/ai/activate-model-version";
import { listModelVersions } from "@/lib/ai/list-model-versions";
import { retryPendingAnalyses } from "@/lib/ai/retry-pending-analyses";
import { ensureModelRegistry } from "@/lib/ai/sync-model-registry";
import { UserError } from "@/lib/errors";

export const AI_CLI_USAGE = `  analyses retry [--limit N]                   analyse "not useful" replays the app did not finish (cron-safe)
  models list                                  model versions; * marks the active one
  models activate <name@version | id>          make a version active`;

/** `npm run cli -- analyses …` and `models …`. Returns the lines to print. */
export async function runAiCommand({ command, sub, arg, limit }: { command: string; sub?: string; arg?: string; limit?: string }): Promise<string[]> {
  if (command === "analyses" && sub === "retry") {
    const max = limit === undefined ? 100 : Number(limit);
    if (!Number.isInteger(max) || max < 1) throw new UserError({ code: "usage", message: "--limit must be a positive whole number." });
    const summary = await retryPendingAnalyses({ limit: max });
    return [`Analysed ${summary.claimed} replays: ${summary.done} done, ${summary.failed} failed.`];
  }
  if (command === "models" && (sub === "list" || sub === "activate")) {
    await ensureModelRegistry();
    const versions = await listModelVersions();
    if (sub === "list") {
      return versions.map((v) => `${v.isActive ? "*" : " "} ${v.label.padEnd(40)} ${v.provider.padEnd(7)} ${String(v.suggestions).padStart(7)} suggestions  ${v.id}`);
    }
    const target = versions.find((v) => v.id === arg || v.label === arg);
    if (!target) throw new UserError({ code: "usage", message: `No model version "${arg ?? ""}". See \`models list\`.` });
    const activated = await activateModelVersion({ id: target.id, by: "manager", actor: { type: "cli" } });
    return [`${activated.label} is now the active model.`];
  }
  throw new UserError({ code: "usage", message: `Unknown command "${[command, sub].filter(Boolean).join(" ")}".` });
}
