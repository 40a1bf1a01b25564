import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { UserError } from "@/lib/errors";
import { submitReplay } from "@/lib/feedback/submit-replay";
import { listQueue } from "@/lib/feedback/list-queue";
import { createPendingReplay, createUser, findExamplesForReplay, findReplay, unique } from "../support/factories";

describe("submitReplay", () => {
  it("closes a pending replay and writes its training example", async () => {
    const agent = await createUser();
    const replay = await createPendingReplay();
    const submissionId = randomUUID();
    const result = await submitReplay({
      input: { replayId: replay.id, submissionId, agentReply: "  A much better reply.  ", feedback: "no" },
      agent,
    });
    expect(result.trainingExampleId).toBeTruthy();
    const row = await findReplay(replay.id);
    expect(row).toMatchObject({ status: "submitted", feedback: "no", agentReply: "A much better reply.", agentId: agent.id, agentEmail: agent.email, submissionId });
    expect(row?.submittedAt).toBeInstanceOf(Date);
    const examples = await findExamplesForReplay(replay.id);
    expect(examples).toHaveLength(1);
    expect(examples[0]).toMatchObject({ prompt: replay.message, completion: "A much better reply.", status: "ready" });
  });

  it("treats a retry of the same submit as success and stores nothing twice", async () => {
    const agent = await createUser();
    const replay = await createPendingReplay();
    const input = { replayId: replay.id, submissionId: randomUUID(), agentReply: "Better.", feedback: "no" as const };
    const results = await Promise.all([submitReplay({ input, agent }), submitReplay({ input, agent }), submitReplay({ input, agent })]);
    expect(new Set(results.map((r) => r.trainingExampleId)).size).toBe(1);
    expect(await findExamplesForReplay(replay.id)).toHaveLength(1);
  });

  it("refuses a second, different submit of a closed replay", async () => {
    const agent = await createUser();
    const replay = await createPendingReplay();
    await submitReplay({ input: { replayId: replay.id, submissionId: randomUUID(), agentReply: "First.", feedback: "yes" }, agent });
    const second = submitReplay({ input: { replayId: replay.id, submissionId: randomUUID(), agentReply: "Second.", feedback: "no" }, agent });
    await expect(second).rejects.toMatchObject({ code: "already_submitted", status: 409 });
    await expect(second).rejects.toBeInstanceOf(UserError);
    expect((await findReplay(replay.id))?.agentReply).toBe("First.");
    expect(await findExamplesForReplay(replay.id)).toHaveLength(0);
  });

  it("says not found for an unknown replay", async () => {
    const agent = await createUser();
    const attempt = submitReplay({ input: { replayId: randomUUID(), submissionId: randomUUID(), agentReply: "x y", feedback: "yes" }, agent });
    await expect(attempt).rejects.toMatchObject({ code: "not_found", status: 404 });
  });
});

describe("listQueue", () => {
  it("lists pending replays only, filtered by topic and ticket, in either order", async () => {
    const topic = unique("topic");
    const older = await createPendingReplay({ topic, createdAt: new Date(Date.now() - 60_000) });
    const newer = await createPendingReplay({ topic });
    const closed = await createPendingReplay({ topic, status: "submitted" });
    const oldest = await listQueue({ order: "oldest", topic, limit: 10 });
    expect(oldest.items.map((i) => i.id)).toEqual([older.id, newer.id]);
    expect(oldest.total).toBe(2);
    const newest = await listQueue({ order: "newest", topic, limit: 10 });
    expect(newest.items.map((i) => i.id)).toEqual([newer.id, older.id]);
    expect(newest.items.map((i) => i.id)).not.toContain(closed.id);
    const byTicket = await listQueue({ order: "oldest", ticket: newer.ticketId!, limit: 10 });
    expect(byTicket.items.map((i) => i.id)).toEqual([newer.id]);
  });
});
