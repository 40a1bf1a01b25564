/**
 * `npm run bench:load -- [--replays 1000000] [--seconds 60] [--agents 8] [--helpdesk 4] [--port N]`
 *
 * The whole product under load at once, against a production build (`npm start`'s code path)
 * on .data/bench-load, seeded once as bench:dashboard seeds (`seedBench`, in SQL) and grouped:
 * - agents (each a loop, a real session cookie): GET /api/queue, then the view's server actions
 *   reserveReplayAction and submitFeedbackAction, as the replay view calls them (RSC requests
 *   through the front server's checks);
 * - the helpdesk: POST /api/feedback-replay (API key, Idempotency-Key);
 * - suggestions: POST /api/suggestions (local model), which also fill the agents' queue;
 * - a manager: GET /dashboard, and GET /api/training/export (the whole JSONL, streamed) in a loop;
 * - one open queue on push (GET /api/queue/events), counting the events it hears.
 * For a bounded time, then prints throughput, p50/p99 per operation and the errors, and checks
 * the database: every acknowledged submission (201, ok:true) is counted there, none twice.
 * Targets (issue 12): zero errors, every acknowledged submission stored. Errors or a lost
 * submission exit 1.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { encode } from "next-auth/jwt";
import pg from "pg";
import { seedBench } from "@/lib/analytics/seed-bench";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { closeDb, getPool, useDatabaseUrl } from "@/lib/db/client";
import { embeddedUrl, runningEmbeddedPort } from "@/lib/db/embedded-address";
import { startEmbeddedDatabase } from "@/lib/db/embedded";
import { runMigrations } from "@/lib/db/migrate";
import { ensureDemoUsers } from "@/lib/demo/seed-demo";
import { regroupReplays } from "@/lib/meaning/regroup-replays";
import { freePort, startProductionServer } from "../production-server";
import { findActionIds } from "./action-ids";
import { Recorder } from "./recorder";

const DATA_DIR = path.join(".data", "bench-load");

const { values: flags } = parseArgs({
  options: {
    replays: { type: "string", default: "1000000" },
    seconds: { type: "string", default: "60" },
    agents: { type: "string", default: "8" },
    helpdesk: { type: "string", default: "4" },
    port: { type: "string" },
  },
});
const REPLAYS = Number(flags.replays);
const SECONDS = Number(flags.seconds);
const AGENTS = Number(flags.agents);
const HELPDESK = Number(flags.helpdesk);
const WORDS = ["parcel", "refund", "invoice", "password", "delivery", "warranty", "coupon", "address", "courier", "receipt", "upgrade", "cancel"];
const word = () => WORDS[Math.floor(Math.random() * WORDS.length)]!;
const letters = () => Array.from({ length: 7 }, () => "abcdefghijklmnopqrstuvwxyz"[Math.floor(Math.random() * 26)]).join("");

async function prepareData() {
  const database = await startEmbeddedDatabase({ dataDir: path.join(DATA_DIR, "postgres") });
  try {
    await runMigrations(database.url);
    useDatabaseUrl(database.url);
    await ensureDemoUsers();
    const { rows } = await getPool().query("SELECT count(*)::int AS n FROM feedback_replay_log");
    if (rows[0].n < REPLAYS) {
      console.log(`▸ Seeding ${REPLAYS - rows[0].n} replays into ${DATA_DIR} (once)`);
      const t0 = performance.now();
      await seedBench({ replays: REPLAYS - rows[0].n, log: console.log });
      console.log(`  seeded in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }
    const ungrouped = await getPool().query("SELECT count(*)::int AS n FROM feedback_replay_log WHERE prompt_group_id IS NULL");
    if (ungrouped.rows[0].n > 0) {
      // Grouped before the run, so the run measures the traffic, not a first regroup.
      console.log(`▸ Grouping ${ungrouped.rows[0].n} replays (once)`);
      const t0 = performance.now();
      await regroupReplays({ all: false });
      console.log(`  grouped in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }
    const helpdesk = await createApiKey({ name: `bench-load-${Date.now()}`, scopes: ["feedback:write", "suggest"] });
    const agents = await getPool().query(`SELECT id, email, name FROM users WHERE role = 'agent' AND email LIKE 'bench-agent-%' ORDER BY email LIMIT $1`, [AGENTS]);
    const manager = await getPool().query("SELECT id, email, name FROM users WHERE role = 'manager' ORDER BY email LIMIT 1");
    const size = await getPool().query("SELECT count(*)::int AS n, count(*) FILTER (WHERE status = 'pending')::int AS pending FROM feedback_replay_log");
    return { key: helpdesk.key, agents: agents.rows, manager: manager.rows[0], size: size.rows[0] as { n: number; pending: number } };
  } finally {
    await closeDb();
    await database.stop();
  }
}

async function main() {
  if (![REPLAYS, SECONDS, AGENTS, HELPDESK].every((n) => Number.isInteger(n) && n >= 1)) throw new Error("--replays, --seconds, --agents and --helpdesk must be whole numbers >= 1.");
  const cpus = os.cpus();
  console.log(`Machine: ${cpus.length} cores, ${cpus[0]?.model ?? "unknown CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${os.loadavg()[0]!.toFixed(2)}`);
  const data = await prepareData();
  console.log(`Data: ${data.size.n.toLocaleString("en-US")} replays (${data.size.pending.toLocaleString("en-US")} pending)`);
  const actions = findActionIds(["reserveReplayAction", "submitFeedbackAction"]);

  const port = flags.port ? Number(flags.port) : await freePort();
  console.log(`▸ Starting the production server on port ${port} with DATA_DIR=${DATA_DIR}`);
  const server = await startProductionServer({ dataDir: DATA_DIR, port });
  const recorder = new Recorder();
  const acknowledged = { ingested: [] as string[], suggested: [] as string[], submitted: new Map<string, string>() };
  try {
    const secret = readFileSync(path.join(DATA_DIR, "auth-secret"), "utf8").trim();
    const cookieFor = async (u: { id: string; email: string; name: string }, role: "agent" | "manager") =>
      `next-auth.session-token=${await encode({ secret, token: { sub: u.id, uid: u.id, email: u.email, name: u.name, role, provider: "demo" } })}`;
    const managerCookie = await cookieFor(data.manager, "manager");
    const base = server.url;
    const stopAt = Date.now() + SECONDS * 1000;
    const running = () => Date.now() < stopAt;

    const action = async (cookie: string, id: string, args: unknown) => {
      const response = await fetch(`${base}/replays`, {
        method: "POST",
        headers: { cookie, "next-action": id, "content-type": "text/plain;charset=UTF-8", accept: "text/x-component", origin: base },
        body: JSON.stringify([args]),
      });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`${response.status} ${text.slice(0, 120)}`);
      // The RSC reply: row 0 is {"a": <the return value, or "$@1" pointing at row 1>, …}.
      type Result = { ok?: boolean; code?: string; status?: string; message?: string; replayId?: string };
      const head = JSON.parse(/^0:(.*)$/m.exec(text)?.[1] ?? "null") as { a?: unknown } | null;
      if (head && typeof head.a === "object") return head.a as Result;
      const ref = typeof head?.a === "string" ? /^\$@(\w+)$/.exec(head.a)?.[1] : undefined;
      const row = ref ? new RegExp(`^${ref}:(.*)$`, "m").exec(text)?.[1] : undefined;
      if (!row) throw new Error(`unreadable action reply: ${text.slice(0, 120)}`);
      return JSON.parse(row) as Result;
    };

    const agentLoop = async (agent: { id: string; email: string; name: string }) => {
      const cookie = await cookieFor(agent, "agent");
      while (running()) {
        const queue = await recorder.time("agent: GET /api/queue", async () => {
          const response = await fetch(`${base}/api/queue?order=newest&limit=50`, { headers: { cookie } });
          if (response.status !== 200) throw new Error(`${response.status}`);
          return (await response.json()) as { items: { id: string; reservation: { mine: boolean } | null }[] };
        });
        const free = queue?.items.filter((i) => !i.reservation || i.reservation.mine) ?? [];
        if (free.length === 0) continue;
        const pick = free[Math.floor(Math.random() * Math.min(free.length, 10))]!;
        const held = await recorder.time("agent: reserveReplayAction", async () => {
          const result = await action(cookie, actions.reserveReplayAction, { replayId: pick.id });
          if (!result?.ok) throw new Error(`reserve: ${result?.code}`);
          return result.status;
        });
        if (held !== "mine") continue; // another agent took it first: the queue works as it should
        const submissionId = randomUUID();
        const feedback = Math.random() < 0.3 ? "no" : "yes";
        const result = await recorder.time("agent: submitFeedbackAction", async () => {
          const result = await action(cookie, actions.submitFeedbackAction, { replayId: pick.id, submissionId, agentReply: `Reply ${letters()} ${letters()}.`, feedback });
          if (!result?.ok && result?.code !== "already_submitted") throw new Error(`submit: ${result?.code} ${result?.message ?? ""}`);
          return result;
        });
        if (result?.ok) acknowledged.submitted.set(pick.id, submissionId);
      }
    };

    const helpdeskLoop = async () => {
      while (running()) {
        const body = {
          message: `My ${word()} ${letters()} never arrived and I need the ${word()} sorted`,
          aiReply: `Reply ${letters()}.`,
          agentReply: `Reply ${letters()} ${letters()}.`,
          feedback: Math.random() < 0.2 ? "no" : "yes",
          ticketId: `load-${letters()}`,
        };
        const id = await recorder.time("helpdesk: POST /api/feedback-replay", async () => {
          const response = await fetch(`${base}/api/feedback-replay`, {
            method: "POST",
            headers: { authorization: `Bearer ${data.key}`, "content-type": "application/json", "idempotency-key": randomUUID() },
            body: JSON.stringify(body),
          });
          const json = (await response.json()) as { id?: string };
          if (response.status !== 201 || !json.id) throw new Error(`${response.status}`);
          return json.id;
        });
        if (id) acknowledged.ingested.push(id);
      }
    };

    const suggestionLoop = async () => {
      while (running()) {
        const id = await recorder.time("helpdesk: POST /api/suggestions", async () => {
          const response = await fetch(`${base}/api/suggestions`, {
            method: "POST",
            headers: { authorization: `Bearer ${data.key}`, "content-type": "application/json" },
            body: JSON.stringify({ message: `Where is my ${word()} ${letters()}, it is late`, ticketId: `load-${letters()}` }),
          });
          const json = (await response.json()) as { replayId?: string };
          if (response.status !== 200 && response.status !== 201) throw new Error(`${response.status}`);
          return json.replayId!;
        });
        if (id) acknowledged.suggested.push(id);
      }
    };

    const dashboardLoop = async () => {
      while (running()) {
        await recorder.time("manager: GET /dashboard", async () => {
          const response = await fetch(`${base}/dashboard`, { headers: { cookie: managerCookie }, redirect: "manual" });
          const text = await response.text();
          if (response.status !== 200 || !text.includes("Is the AI getting better?")) throw new Error(`${response.status}`);
        });
      }
    };

    let exportedLines = 0;
    const exportLoop = async () => {
      while (running()) {
        await recorder.time("manager: GET /api/training/export", async () => {
          const response = await fetch(`${base}/api/training/export`, { headers: { cookie: managerCookie } });
          if (response.status !== 200) throw new Error(`${response.status} ${(await response.text()).slice(0, 120)}`);
          const reader = response.body!.getReader();
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            for (const byte of value) if (byte === 10) exportedLines++;
          }
        });
      }
    };

    // One open queue on push, as an agent's browser holds it.
    const pushed = { ready: 0, replays: 0, reservations: 0 };
    const events = new AbortController();
    const pushLoop = (async () => {
      const response = await fetch(`${base}/api/queue/events`, { headers: { cookie: await cookieFor(data.agents[0], "agent") }, signal: events.signal });
      if (response.status !== 200) throw new Error(`GET /api/queue/events answered ${response.status}`);
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        for (const match of decoder.decode(value, { stream: true }).matchAll(/^event: (\w+)$/gm)) {
          const name = match[1] as keyof typeof pushed;
          if (name in pushed) pushed[name]++;
        }
      }
    })().catch((error: unknown) => {
      if (!events.signal.aborted) recorder.fail("push: GET /api/queue/events", error);
    });

    console.log(`▸ Load for ${SECONDS} s: ${data.agents.length} agents, ${HELPDESK} helpdesk connections, 2 suggestion loops, 1 dashboard loop, 1 export loop, 1 push listener`);
    const t0 = performance.now();
    await Promise.all([
      ...data.agents.map((a) => agentLoop(a)),
      ...Array.from({ length: HELPDESK }, helpdeskLoop),
      suggestionLoop(),
      suggestionLoop(),
      dashboardLoop(),
      exportLoop(),
    ]);
    const elapsed = (performance.now() - t0) / 1000;
    events.abort();
    await pushLoop;

    recorder.print(elapsed);
    console.log(`\n  export: ${exportedLines.toLocaleString("en-US")} JSONL lines streamed in all`);
    console.log(`  push: ${pushed.ready} ready, ${pushed.replays} replays and ${pushed.reservations} reservations events heard by one open queue`);

    // Every acknowledged submission is in the database, once.
    const port_ = runningEmbeddedPort(path.join(DATA_DIR, "postgres"));
    const db = new pg.Client({ connectionString: embeddedUrl(port_!) });
    await db.connect();
    try {
      const ingested = await db.query(`SELECT count(*)::int AS n FROM feedback_replay_log WHERE id = ANY($1::uuid[])`, [acknowledged.ingested]);
      const suggested = await db.query(`SELECT count(*)::int AS n FROM feedback_replay_log WHERE id = ANY($1::uuid[])`, [acknowledged.suggested]);
      const ids = [...acknowledged.submitted.keys()];
      const submitted = await db.query(
        `SELECT count(*)::int AS n FROM feedback_replay_log r JOIN unnest($1::uuid[], $2::uuid[]) AS a(id, submission) ON a.id = r.id
         WHERE r.status = 'submitted' AND r.submission_id = a.submission`,
        [ids, [...acknowledged.submitted.values()]],
      );
      const examples = await db.query(`SELECT count(*)::int AS n, count(DISTINCT replay_id)::int AS distinct_n FROM training_log WHERE replay_id = ANY($1::uuid[])`, [
        [...ids, ...acknowledged.ingested],
      ]);
      const rows = [
        ["helpdesk submissions (201)", acknowledged.ingested.length, ingested.rows[0].n],
        ["suggestions (replays queued)", acknowledged.suggested.length, suggested.rows[0].n],
        ["agent submissions (ok: true)", ids.length, submitted.rows[0].n],
      ] as const;
      console.log("\nAcknowledged vs in the database:");
      for (const [label, acked, stored] of rows) console.log(`  ${label.padEnd(32)} ${String(acked).padStart(7)} acknowledged  ${String(stored).padStart(7)} stored  ${acked === stored ? "ok" : "MISSING"}`);
      console.log(`  training examples for them: ${examples.rows[0].n} (one per replay: ${examples.rows[0].n === examples.rows[0].distinct_n ? "yes" : "NO"})`);
      const lost = rows.some(([, acked, stored]) => acked !== stored) || examples.rows[0].n !== examples.rows[0].distinct_n;
      const errors = recorder.errorCount();
      console.log(`\n  ${errors === 0 ? "PASS" : "FAIL"}  zero errors (${errors})`);
      console.log(`  ${lost ? "FAIL" : "PASS"}  every acknowledged submission counted in the database, none twice`);
      console.log(`  server printed ${server.linesSinceReady()} lines during the run`);
      if (errors > 0 || lost) process.exitCode = 1;
    } finally {
      await db.end();
    }
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`\n✖ ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
