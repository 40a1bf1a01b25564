import "server-only";
import { groupPendingReplays } from "@/lib/meaning/group-pending-replays";

const holder = globalThis as unknown as { __feedbackReplayGrouping?: { running: Promise<void> | null; again: boolean } };
const job = (holder.__feedbackReplayGrouping ??= { running: null, again: false });

/**
 * Groups new replays soon, in the background: at most one run per process, and a request that
 * comes in while it runs makes it go round once more. Never throws; a failure is logged and the
 * replays stay pending for the next run (suggestions, worst prompts and the retrain group first).
 */
export function scheduleGrouping(): void {
  if (job.running) {
    job.again = true;
    return;
  }
  job.running = (async () => {
    do {
      job.again = false;
      const result = await groupPendingReplays({ waitMs: 2000 });
      // Another process holds the lock: it groups what is pending.
      if (result.busy) break;
    } while (job.again);
  })()
    .catch((error: unknown) => console.error("[grouping]", error instanceof Error ? error.message : error))
    .finally(() => {
      job.running = null;
    });
}

/** Resolves when this process's background grouping (if any) has finished (tests, shutdown). */
export async function groupingSettled(): Promise<void> {
  while (job.running) await job.running;
}
