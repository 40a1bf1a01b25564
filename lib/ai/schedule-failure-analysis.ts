import "server-only";
import { after } from "next/server";
import { runFailureAnalyses, runFailureAnalysis } from "@/lib/ai/run-failure-analysis";
import { createMicroBatcher } from "@/lib/feedback/ingest/create-micro-batcher";

// Analyses started outside a Next.js request (the production front server, tests, scripts):
// those that come in while a batch runs are claimed together in the next one.
const background = createMicroBatcher<string, void>({
  maxBatch: 100,
  flush: async (replayIds) => {
    await runFailureAnalyses({ replayIds }).catch((error: unknown) =>
      console.error(`[failure-analysis] ${replayIds.length} replays:`, error instanceof Error ? error.message : error),
    );
    return replayIds.map(() => undefined);
  },
});

/**
 * Runs the self-critique of a "not useful" after the response has been sent (`after()`), so the
 * agent or the helpdesk never waits for the model. The pending row already exists (written with
 * the verdict), so if this process dies first, retryPendingAnalyses picks it up.
 * Outside a Next.js request it runs in the background, batched.
 */
export function scheduleFailureAnalysis(replayId: string): void {
  try {
    after(() =>
      runFailureAnalysis({ replayId }).then(
        () => undefined,
        (error: unknown) => console.error(`[failure-analysis] replay ${replayId}:`, error instanceof Error ? error.message : error),
      ),
    );
  } catch (error) {
    if (!(error instanceof Error && error.message.includes("outside a request scope"))) throw error;
    void background.submit(replayId);
  }
}

/** Resolves when the analyses started outside a request have finished. */
export async function waitForBackgroundAnalyses(): Promise<void> {
  while (background.pending() > 0) await new Promise((resolve) => setTimeout(resolve, 5));
}
