import "server-only";
import { desc, eq, sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { modelEvaluations, retrainRuns } from "@/lib/db/schema";

export type RetrainRun = typeof retrainRuns.$inferSelect;
export type RetrainStatus = RetrainRun["status"];
export type RunEvent = { at: string; level: "info" | "warning" | "error"; message: string; source?: "provider" };
export type ModelEvaluation = typeof modelEvaluations.$inferSelect;

/** Changes a run and appends one event to its log, in one statement. */
export async function updateRun(
  id: string,
  changes: Partial<Omit<typeof retrainRuns.$inferInsert, "id" | "events">>,
  event?: { level?: RunEvent["level"]; message: string },
): Promise<RetrainRun> {
  const entry: RunEvent[] = event ? [{ at: new Date().toISOString(), level: event.level ?? "info", message: event.message }] : [];
  const [row] = await getDb()
    .update(retrainRuns)
    .set({ ...changes, events: sql`${retrainRuns.events} || ${JSON.stringify(entry)}::jsonb`, updatedAt: new Date() })
    .where(eq(retrainRuns.id, id))
    .returning();
  return row!;
}

export async function getRun(id: string): Promise<RetrainRun | null> {
  const [row] = await getDb().select().from(retrainRuns).where(eq(retrainRuns.id, id));
  return row ?? null;
}

export async function listRuns(limit = 20): Promise<RetrainRun[]> {
  return getDb().select().from(retrainRuns).orderBy(desc(retrainRuns.createdAt)).limit(limit);
}

export async function listEvaluations(runIds: string[]): Promise<ModelEvaluation[]> {
  if (runIds.length === 0) return [];
  return getDb()
    .select()
    .from(modelEvaluations)
    .where(sql`${modelEvaluations.runId} = ANY(${`{${runIds.join(",")}}`}::uuid[])`)
    .orderBy(desc(modelEvaluations.createdAt));
}

export function runEvents(run: RetrainRun): RunEvent[] {
  return Array.isArray(run.events) ? (run.events as RunEvent[]) : [];
}

export type RunCounts = {
  worstPrompts?: number;
  examples?: number;
  train?: number;
  validation?: number;
  dropped?: { duplicate?: number; tooLong?: number; unusable?: number };
  reason?: string;
  /** sft-dpo: the preference pairs of the DPO stage. */
  preferencePairs?: number;
};

export function runCounts(run: RetrainRun): RunCounts {
  return (run.counts ?? {}) as RunCounts;
}
