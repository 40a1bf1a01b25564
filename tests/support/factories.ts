import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import type { ApiScope } from "@/lib/api-keys/schemas";
import { getDb } from "@/lib/db/client";
import { feedbackReplayLog, trainingLog, users } from "@/lib/db/schema";
import { hashPrompt } from "@/lib/feedback/normalize-prompt";

/** Every factory makes rows with unique ids and texts, so tests never see each other's data. */
export const unique = (label: string) => `${label} ${randomUUID()}`;

export async function createUser(role: "agent" | "manager" | "admin" = "agent") {
  const [user] = await getDb()
    .insert(users)
    .values({ email: `${randomUUID()}@test.example`, name: unique("Test user"), role })
    .returning();
  return user!;
}

export async function createPendingReplay(overrides: Partial<typeof feedbackReplayLog.$inferInsert> = {}) {
  const message = overrides.message ?? unique("I never got my refund for order 12345");
  const [replay] = await getDb()
    .insert(feedbackReplayLog)
    .values({ message, aiReply: "Refunds take time.", promptHash: hashPrompt(message), ticketId: unique("T"), ...overrides })
    .returning();
  return replay!;
}

export async function createKey(scopes: ApiScope[] = ["feedback:write"]) {
  return createApiKey({ name: unique("test key"), scopes });
}

export async function findReplay(id: string) {
  const [row] = await getDb().select().from(feedbackReplayLog).where(eq(feedbackReplayLog.id, id));
  return row;
}

export async function findExamplesForReplay(replayId: string) {
  return getDb().select().from(trainingLog).where(eq(trainingLog.replayId, replayId));
}
