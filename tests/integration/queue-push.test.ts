import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it, vi } from "vitest";
import { GET as getEvents } from "@/app/api/queue/events/route";
import { databaseUrl, getPool } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/env";
import { createQueueEvents, getQueueEvents, type QueueEvent } from "@/lib/feedback/queue-events";
import { reserveReplay } from "@/lib/feedback/reserve-replay";
import { createPendingReplay, createUser } from "../support/factories";
import { useOwnDatabase } from "../support/own-database";
import { withRequestHeaders } from "../security/support/request-scope";
import { sessionCookie } from "../security/support/sessions";
import { useSessionEnv } from "../support/session-env";

vi.mock("next/headers", async () => (await import("../security/support/session-seam")).nextHeaders);
vi.mock("next-auth", async (original) => (await import("../security/support/session-seam")).withRequestSession(await original()));

// NOTIFY is per database: in a database of its own, every event this file hears is its own doing.
useOwnDatabase("queue_push");

const SECRET = useSessionEnv();

afterAll(async () => {
  await getQueueEvents().close();
  vi.unstubAllEnvs();
  resetEnvCache();
});

/** Reads a server-sent event stream; `next(name)` resolves with the next event of that name. */
function readEvents(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const seen: string[] = [];
  let buffer = "";
  const wake = { waiter: null as (() => void) | null };
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true as const }));
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const name = /^event: (.+)$/m.exec(block)?.[1];
        if (name) seen.push(name);
      }
      wake.waiter?.();
    }
  })();
  return {
    async next(name: string, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const index = seen.indexOf(name);
        if (index >= 0) return void seen.splice(0, index + 1);
        if (Date.now() > deadline) throw new Error(`no "${name}" event; saw ${JSON.stringify(seen)}`);
        await new Promise<void>((resolve) => {
          wake.waiter = resolve;
          setTimeout(resolve, 100);
        });
      }
    },
    cancel: () => reader.cancel(),
  };
}

async function agentHeaders() {
  const user = await createUser("agent");
  return { user, headers: new Headers({ cookie: await sessionCookie({ id: user.id, email: user.email, name: user.name, role: "agent" }, SECRET) }) };
}

function collect(events: ReturnType<typeof createQueueEvents>) {
  const seen: QueueEvent[] = [];
  const unsubscribe = events.subscribe((e) => seen.push(e));
  return {
    seen,
    unsubscribe,
    async waitFor(event: QueueEvent, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!seen.includes(event)) {
        if (Date.now() > deadline) throw new Error(`no "${event}"; saw ${JSON.stringify(seen)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      seen.splice(0, seen.indexOf(event) + 1);
    },
  };
}

describe("GET /api/queue/events (server-sent events)", () => {
  it("refuses a caller without a session", async () => {
    const response = await withRequestHeaders(new Headers(), () => getEvents(new Request("http://localhost/api/queue/events")));
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toContain("application/json");
  });

  it("streams to a signed-in agent: ready, then a new replay and a reservation made on other connections", async () => {
    const { user, headers } = await agentHeaders();
    const abort = new AbortController();
    const response = await withRequestHeaders(headers, () => getEvents(new Request("http://localhost/api/queue/events", { headers, signal: abort.signal })));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(response.headers.get("cache-control")).toContain("no-transform");
    const events = readEvents(response.body!);
    await events.next("ready");

    const replay = await createPendingReplay();
    await events.next("replays");
    await reserveReplay({ replayId: replay.id, agentId: user.id, seconds: 60 });
    await events.next("reservations");
    abort.abort();
    await events.cancel();
  });

  it("answers 503 push_unavailable when push is turned off (the view polls)", async () => {
    const { headers } = await agentHeaders();
    vi.stubEnv("QUEUE_PUSH", "off");
    resetEnvCache();
    try {
      const response = await withRequestHeaders(headers, () => getEvents(new Request("http://localhost/api/queue/events", { headers })));
      expect(response.status).toBe(503);
      expect((await response.json()).error.code).toBe("push_unavailable");
    } finally {
      vi.stubEnv("QUEUE_PUSH", "on");
      resetEnvCache();
    }
  });
});

describe("the queue listener (one LISTEN connection per app process)", () => {
  it("tells every process: two listeners hear a write made on a third connection", async () => {
    const [one, two] = [createQueueEvents({ url: databaseUrl }), createQueueEvents({ url: databaseUrl })];
    const [a, b] = [collect(one), collect(two)];
    try {
      await Promise.all([a.waitFor("ready"), b.waitFor("ready")]);
      await createPendingReplay();
      await Promise.all([a.waitFor("replays"), b.waitFor("replays")]);
      a.seen.length = 0;
      // A closed replay (status changes) is news too; an unrelated column is not.
      await getPool().query(`UPDATE feedback_replay_log SET topic = 'billing' WHERE status = 'pending'`);
      await getPool().query(`UPDATE feedback_replay_log SET status = 'submitted', feedback = 'yes', agent_reply = 'ok' WHERE status = 'pending'`);
      // A marker after both: everything heard in between arrived before it, in commit order.
      await getPool().query(`SELECT pg_notify('replay_queue', 'reservations')`);
      const deadline = Date.now() + 10_000;
      while (!a.seen.includes("reservations") && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(a.seen).toEqual(["replays", "reservations"]);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  it("reconnects when its connection is killed, says down then ready, and hears the next write", async () => {
    const applicationName = `queue-listener-${randomUUID().slice(0, 8)}`;
    const events = createQueueEvents({ url: () => `${databaseUrl()}${databaseUrl().includes("?") ? "&" : "?"}application_name=${applicationName}`, retryMaxMs: 500 });
    const heard = collect(events);
    try {
      await heard.waitFor("ready");
      const killed = await getPool().query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [applicationName]);
      expect(killed.rowCount).toBe(1);
      await heard.waitFor("down");
      await heard.waitFor("ready");
      expect(events.listening()).toBe(true);
      await createPendingReplay();
      await heard.waitFor("replays");
    } finally {
      await events.close();
    }
  });
});
