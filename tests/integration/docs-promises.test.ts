import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { POST as postFreshSuggestion } from "@/app/api/replays/[id]/suggestion/route";
import { POST as postSuggestion } from "@/app/api/suggestions/route";
import { GET as getExport } from "@/app/api/training/export/route";
import { getPool } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/env";
import { createKey, createPendingReplay, createUser, unique } from "../support/factories";
import { withRequestHeaders } from "../security/support/request-scope";
import { sessionCookie } from "../security/support/sessions";
import { stubSessionEnv, useSessionEnv } from "../support/session-env";

vi.mock("next/headers", async () => (await import("../security/support/session-seam")).nextHeaders);
vi.mock("next-auth", async (original) => (await import("../security/support/session-seam")).withRequestSession(await original()));

/** What AGENTS.md and the README promise (issue 14, item 6), checked at the route handlers. */
const SECRET = useSessionEnv();

afterEach(() => {
  vi.unstubAllEnvs();
  stubSessionEnv(SECRET);
});

async function signedIn(role: "agent" | "manager") {
  const user = await createUser(role);
  const cookie = await sessionCookie({ id: user.id, email: user.email, name: user.name ?? "Test", role }, SECRET);
  return { user, as: <T,>(work: () => Promise<T>) => withRequestHeaders(new Headers({ cookie }), work) };
}

/** The limits use one-minute windows: a sequence that straddles a minute boundary is run again. */
async function withinOneMinute(work: () => Promise<void>) {
  for (let tries = 0; ; tries++) {
    const minute = Math.floor(Date.now() / 60_000);
    try {
      await work();
      return;
    } catch (error) {
      if (tries > 0 || Math.floor(Date.now() / 60_000) === minute) throw error;
    }
  }
}

async function expectLimited(response: Response) {
  expect(response.status).toBe(429);
  expect(Number(response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  expect((await response.json()).error.code).toBe("rate_limited");
}

const words = () => Array.from({ length: 4 }, () => Array.from(randomBytes(6), (b) => "abcdefghijklmnopqrstuvwxyz"[b % 26]).join("")).join(" ");

describe("the API rate limit (RATE_LIMIT_API_PER_MINUTE) covers every API route, not only ingest", () => {
  it("POST /api/suggestions: 429 + Retry-After past the limit, nothing stored, another key unaffected", async () => {
    vi.stubEnv("RATE_LIMIT_API_PER_MINUTE", "2");
    resetEnvCache();
    await withinOneMinute(async () => {
      const { key } = await createKey(["suggest"]);
      const ask = (k: string, ticketId = unique("T")) =>
        postSuggestion(new Request("http://localhost/api/suggestions", { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${k}` }, body: JSON.stringify({ message: `Reply ${words()}?`, ticketId }) }));
      expect((await ask(key)).status).toBe(201);
      expect((await ask(key)).status).toBe(201);
      const refusedTicket = unique("T");
      await expectLimited(await ask(key, refusedTicket));
      const { rows } = await getPool().query("SELECT 1 FROM feedback_replay_log WHERE ticket_id = $1", [refusedTicket]);
      expect(rows).toHaveLength(0);
      expect((await ask((await createKey(["suggest"])).key)).status).toBe(201);
    });
  });

  it("the fresh-suggestion stream: counted per signed-in agent", async () => {
    vi.stubEnv("RATE_LIMIT_API_PER_MINUTE", "1");
    resetEnvCache();
    await withinOneMinute(async () => {
      const agent = await signedIn("agent");
      const fresh = async () => {
        const replay = await createPendingReplay({ message: `Reply ${words()}?` });
        return agent.as(() => postFreshSuggestion(new Request(`http://localhost/api/replays/${replay.id}/suggestion`, { method: "POST" }), { params: Promise.resolve({ id: replay.id }) }));
      };
      const first = await fresh();
      expect(first.status).toBe(200);
      await first.text();
      await expectLimited(await fresh());
    });
  });

  it("GET /api/training/export: per API key and per manager, before any dataset is recorded", async () => {
    vi.stubEnv("RATE_LIMIT_API_PER_MINUTE", "1");
    resetEnvCache();
    await withinOneMinute(async () => {
      const { key } = await createKey(["training:export"]);
      const viaKey = () => getExport(new Request("http://localhost/api/training/export", { headers: { authorization: `Bearer ${key}` } }));
      const first = await viaKey();
      expect(first.status).toBe(200);
      await first.text();
      const before = await getPool().query("SELECT count(*)::int AS n FROM datasets");
      await expectLimited(await viaKey());
      const manager = await signedIn("manager");
      const viaSession = () => manager.as(() => getExport(new Request("http://localhost/api/training/export")));
      const mine = await viaSession();
      expect(mine.status).toBe(200);
      await mine.text();
      await expectLimited(await viaSession());
      const after = await getPool().query("SELECT count(*)::int AS n FROM datasets WHERE created_by IS DISTINCT FROM $1", [manager.user.id]);
      expect(after.rows[0].n).toBe(before.rows[0].n); // the refused key's request recorded nothing
    });
  });
});

describe("exports write audit rows", () => {
  const auditFor = async (datasetId: string) =>
    (await getPool().query("SELECT action, actor_type, actor_id, target, details FROM audit_log WHERE target = $1 ORDER BY created_at", [datasetId])).rows;

  it("a manager's export and a download of it again, and an API key's export", async () => {
    const manager = await signedIn("manager");
    const exported = await manager.as(() => getExport(new Request("http://localhost/api/training/export?split=train")));
    expect(exported.status).toBe(200);
    await exported.text();
    const datasetId = exported.headers.get("x-dataset-id")!;
    expect(await auditFor(datasetId)).toEqual([
      { action: "training.export", actor_type: "user", actor_id: manager.user.id, target: datasetId, details: { datasetId, source: "approved", split: "train", format: "sft" } },
    ]);
    const again = await manager.as(() => getExport(new Request(`http://localhost/api/training/export?dataset=${datasetId}`)));
    expect(again.status).toBe(200);
    await again.text();
    expect((await auditFor(datasetId)).map((a) => a.action)).toEqual(["training.export", "training.download"]);

    const { key, id: keyId } = await createKey(["training:export"]);
    const viaKey = await getExport(new Request("http://localhost/api/training/export?source=worst-prompts", { headers: { authorization: `Bearer ${key}` } }));
    await viaKey.text();
    const keyDataset = viaKey.headers.get("x-dataset-id")!;
    expect(await auditFor(keyDataset)).toMatchObject([{ action: "training.export", actor_type: "api_key", actor_id: keyId, details: { source: "worst-prompts" } }]);
  });
});
