import "server-only";
import { after } from "next/server";
import { runFailureAnalysis } from "@/lib/ai/run-failure-analysis";

// Analyses started outside a Next.js request (tests, scripts), so they can be awaited before exit.
const background = new Set<Promise<void>>();

/**
 * Runs the self-critique of a "not useful" after the response has been sent (`after()`), so the
 * agent or the helpdesk never waits for the model. The pending row already exists (written with
 * the verdict), so if this process dies first, retryPendingAnalyses picks it up.
 * Outside a Next.js request (tests, scripts) it runs in the background.
 */
export function scheduleFailureAnalysis(replayId: string): void {
  const task = () =>
    runFailureAnalysis({ replayId }).then(
      () => undefined,
      (error: unknown) => console.error(`[failure-analysis] replay ${replayId}:`, error instanceof Error ? error.message : error),
    );
  try {
    after(task);
  } catch (error) {
    if (!(error instanceof Error && error.message.includes("outside a request scope"))) throw error;
    const running = task().finally(() => background.delete(running));
    background.add(running);
  }
}

/** Resolves when the analyses started outside a request have finished. */
export async function waitForBackgroundAnalyses(): Promise<void> {
  while (background.size) await Promise.all([...background]);
}
