import { randomUUID } from "node:crypto";
import type http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { closeDb, useDatabaseUrl } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/env";
import { createFrontServer } from "@/lib/server/create-front-server";
import { startFaultDatabase, type FaultDatabase } from "./support/fault-database";

let db: FaultDatabase;
let front: http.Server;
let base: string;
let key: string;

beforeAll(async () => {
  db = await startFaultDatabase("database-restart");
  vi.stubEnv("RATE_LIMIT_API_PER_MINUTE", "1000000");
  resetEnvCache();
  useDatabaseUrl(db.url);
  key = (await createApiKey({ name: "faults", scopes: ["feedback:write"] })).key;
  front = createFrontServer({ upstreamPort: 1 });
  await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
});

afterAll(async () => {
  front?.closeAllConnections();
  await new Promise((resolve) => front?.close(resolve));
  await closeDb();
  await db?.close();
  vi.unstubAllEnvs();
});

type Tally = { acked: Map<string, string>; outageAnswers: number; networkErrors: number; unexpected: string[] };

/**
 * `count` submissions from `clients` helpdesk clients, each retried with its Idempotency-Key
 * until acknowledged, as the helpdesk contract asks. Anything but 201 or a 503 with Retry-After
 * is an unexpected answer.
 */
function traffic({ count, clients, run }: { count: number; clients: number; run: string }) {
  const tally: Tally = { acked: new Map(), outageAnswers: 0, networkErrors: 0, unexpected: [] };
  const queue = Array.from({ length: count }, (_, i) => `${run}-${i}`);
  async function client() {
    for (let ticket = queue.shift(); ticket; ticket = queue.shift()) {
      for (;;) {
        try {
          const response = await fetch(`${base}/api/feedback-replay`, {
            method: "POST",
            headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "idempotency-key": ticket },
            body: JSON.stringify({ message: `Where is my refund for ${ticket}?`, aiReply: "Soon.", agentReply: "Refunded today.", feedback: "no", ticketId: ticket }),
          });
          const body = (await response.json()) as { id?: string; error?: { code: string } };
          if (response.status === 201) {
            tally.acked.set(ticket, body.id!);
            break;
          }
          if (response.status === 503 && response.headers.get("retry-after") && body.error?.code === "database_unavailable") tally.outageAnswers++;
          else tally.unexpected.push(`${response.status} ${body.error?.code}`);
        } catch {
          tally.networkErrors++;
        }
        // The client's own backoff while the database is away (a helpdesk would honour Retry-After).
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }
  const done = Promise.all(Array.from({ length: clients }, client));
  return { tally, done };
}

async function until(condition: () => boolean, what: string, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function stored(run: string) {
  return db.query<{ ticket_id: string; id: string; n: number }>(
    "SELECT ticket_id, min(id::text) AS id, count(*)::int AS n FROM feedback_replay_log WHERE ticket_id LIKE $1 GROUP BY ticket_id",
    [`${run}-%`],
  );
}

describe.each([
  ["a fast shutdown", (d: FaultDatabase) => d.stopFast()],
  ["kill -9", (d: FaultDatabase) => d.kill9()],
])("the database stops mid-traffic (%s) and comes back", (_how, stop) => {
  it("answers 503 database_unavailable meanwhile, recovers without a restart, and stores every acknowledged submission exactly once", async () => {
    const run = randomUUID().slice(0, 8);
    const count = 400;
    const { tally, done } = traffic({ count, clients: 20, run });
    await until(() => tally.acked.size >= 100, "100 acknowledged submissions");
    await stop(db);
    await until(() => tally.outageAnswers + tally.networkErrors >= 20, "answers during the outage");
    await db.start();
    await done;

    expect(tally.unexpected).toEqual([]);
    expect(tally.outageAnswers).toBeGreaterThan(0);
    expect(tally.acked.size).toBe(count);
    const rows = await stored(run);
    expect(rows.length).toBe(count); // none lost
    expect(rows.filter((r) => r.n !== 1)).toEqual([]); // none twice
    // Every acknowledgement names the row that was stored, retries included.
    for (const row of rows) expect(tally.acked.get(row.ticket_id)).toBe(row.id);
  });
});
