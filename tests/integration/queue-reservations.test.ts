import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/client";
import { listQueue } from "@/lib/feedback/list-queue";
import { releaseReplay } from "@/lib/feedback/release-replay";
import { reserveReplay } from "@/lib/feedback/reserve-replay";
import { submitReplay } from "@/lib/feedback/submit-replay";
import { createPendingReplay, createUser, findReplay } from "../support/factories";

const MINUTES = 300;

async function holder(replayId: string) {
  const { rows } = await getPool().query(`SELECT agent_id FROM replay_reservations WHERE replay_id = $1 AND expires_at > now()`, [replayId]);
  return rows[0]?.agent_id ?? null;
}

/** Waits for a condition (a reservation running out), never for a fixed time. */
async function waitFor<T>(probe: () => Promise<T | null>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("the shared queue: opening a replay reserves it", () => {
  it("is the first agent's; the second sees who is on it, in the queue too", async () => {
    const [ben, ava] = [await createUser(), await createUser()];
    const replay = await createPendingReplay();
    expect(await reserveReplay({ replayId: replay.id, agentId: ben.id, seconds: MINUTES })).toMatchObject({ status: "mine" });
    const second = await reserveReplay({ replayId: replay.id, agentId: ava.id, seconds: MINUTES });
    expect(second).toMatchObject({ status: "taken", name: ben.name });
    expect(await holder(replay.id)).toBe(ben.id);

    const seenByAva = await listQueue({ order: "oldest", ticket: replay.ticketId!, limit: 5, viewerId: ava.id });
    expect(seenByAva.items.map((i) => i.reservation)).toEqual([{ mine: false, name: ben.name, until: expect.any(String) }]);
    const seenByBen = await listQueue({ order: "oldest", ticket: replay.ticketId!, limit: 5, viewerId: ben.id });
    expect(seenByBen.items[0]!.reservation).toMatchObject({ mine: true });
  });

  it("renews for its holder, and runs out: then the next agent takes it", async () => {
    const [ben, ava] = [await createUser(), await createUser()];
    const replay = await createPendingReplay();
    await reserveReplay({ replayId: replay.id, agentId: ben.id, seconds: MINUTES });
    const renewed = await reserveReplay({ replayId: replay.id, agentId: ben.id, seconds: 0.3 });
    expect(renewed.status).toBe("mine");
    // Ben's short renewal runs out; until then Ava is refused, after it she has it.
    expect((await reserveReplay({ replayId: replay.id, agentId: ava.id, seconds: MINUTES })).status).toBe("taken");
    await waitFor(async () => ((await reserveReplay({ replayId: replay.id, agentId: ava.id, seconds: MINUTES })).status === "mine" ? true : null));
    expect(await holder(replay.id)).toBe(ava.id);
    expect((await listQueue({ order: "oldest", ticket: replay.ticketId!, limit: 5, viewerId: ben.id })).items[0]!.reservation).toMatchObject({ mine: false });
  });

  it("is let go by its holder only, and by opening another replay", async () => {
    const [ben, ava] = [await createUser(), await createUser()];
    const [first, second] = [await createPendingReplay(), await createPendingReplay()];
    await reserveReplay({ replayId: first.id, agentId: ben.id, seconds: MINUTES });
    expect(await releaseReplay({ replayId: first.id, agentId: ava.id })).toBe(false);
    expect(await holder(first.id)).toBe(ben.id);
    expect(await releaseReplay({ replayId: first.id, agentId: ben.id })).toBe(true);
    expect(await holder(first.id)).toBeNull();

    await reserveReplay({ replayId: first.id, agentId: ben.id, seconds: MINUTES });
    await reserveReplay({ replayId: second.id, agentId: ben.id, seconds: MINUTES });
    expect([await holder(first.id), await holder(second.id)]).toEqual([null, ben.id]);
    expect((await reserveReplay({ replayId: first.id, agentId: ava.id, seconds: MINUTES })).status).toBe("mine");
  });

  it("keeps another agent's submit off a held replay, and the holder's submit lets go", async () => {
    const [ben, ava] = [await createUser(), await createUser()];
    const replay = await createPendingReplay();
    await reserveReplay({ replayId: replay.id, agentId: ben.id, seconds: MINUTES });
    const input = (agentReply: string) => ({ replayId: replay.id, submissionId: randomUUID(), agentReply, feedback: "no" as const });
    await expect(submitReplay({ input: input("Ava's reply."), agent: ava })).rejects.toMatchObject({ code: "reserved", status: 409, message: expect.stringContaining(ben.name) });
    expect((await findReplay(replay.id))?.status).toBe("pending");

    await submitReplay({ input: input("Ben's reply."), agent: ben });
    expect(await findReplay(replay.id)).toMatchObject({ status: "submitted", agentId: ben.id, agentReply: "Ben's reply." });
    const { rows } = await getPool().query(`SELECT count(*)::int AS n FROM replay_reservations WHERE replay_id = $1`, [replay.id]);
    expect(rows[0].n).toBe(0);
    expect(await reserveReplay({ replayId: replay.id, agentId: ava.id, seconds: MINUTES })).toEqual({ status: "closed" });
  });

  it("lets a submit through once the other agent's hold has run out", async () => {
    const [ben, ava] = [await createUser(), await createUser()];
    const replay = await createPendingReplay();
    await reserveReplay({ replayId: replay.id, agentId: ben.id, seconds: 0.3 });
    const input = { replayId: replay.id, submissionId: randomUUID(), agentReply: "Ava's reply.", feedback: "no" as const };
    await waitFor(async () => ((await holder(replay.id)) === null ? true : null));
    await submitReplay({ input, agent: ava });
    expect((await findReplay(replay.id))?.agentId).toBe(ava.id);
  });

  it("gives a replay to exactly one of many agents taking it at once (separate connections, as two app instances)", async () => {
    const agents = await Promise.all(Array.from({ length: 8 }, () => createUser()));
    for (let round = 0; round < 5; round++) {
      const replay = await createPendingReplay();
      const results = await Promise.all(agents.map((a) => reserveReplay({ replayId: replay.id, agentId: a.id, seconds: MINUTES })));
      const winners = results.flatMap((r, i) => (r.status === "mine" ? [agents[i]!] : []));
      expect(winners).toHaveLength(1);
      expect(await holder(replay.id)).toBe(winners[0]!.id);
      for (const r of results) if (r.status !== "mine") expect(r).toMatchObject({ status: "taken", name: winners[0]!.name });
    }
  });

  it("gives an expired hold to exactly one of the agents taking it over at once", async () => {
    const [ben, ...others] = await Promise.all(Array.from({ length: 6 }, () => createUser()));
    const replay = await createPendingReplay();
    await reserveReplay({ replayId: replay.id, agentId: ben!.id, seconds: 0.2 });
    await waitFor(async () => ((await holder(replay.id)) === null ? true : null));
    const results = await Promise.all(others.map((a) => reserveReplay({ replayId: replay.id, agentId: a.id, seconds: MINUTES })));
    expect(results.filter((r) => r.status === "mine")).toHaveLength(1);
  });
});
