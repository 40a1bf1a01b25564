import { sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { POST as postFeedback } from "@/app/api/feedback-replay/route";
import { GET as getQueue } from "@/app/api/queue/route";
import { POST as postSuggestion } from "@/app/api/suggestions/route";
import { getDb, getPool } from "@/lib/db/client";
import { storeTrainingExample } from "@/lib/feedback/storage";
import { createKey, createPendingReplay, createUser, findReplay, unique } from "../support/factories";
import { withRequestHeaders } from "../security/support/request-scope";
import { sessionCookie } from "../security/support/sessions";
import { useSessionEnv } from "../support/session-env";

vi.mock("next/headers", async () => (await import("../security/support/session-seam")).nextHeaders);
vi.mock("next-auth", async (original) => (await import("../security/support/session-seam")).withRequestSession(await original()));
vi.mock("next/cache", async (original) => ({ ...(await original<Record<string, unknown>>()), revalidatePath: () => {}, revalidateTag: () => {} }));

const SECRET = useSessionEnv();

function post(handler: (r: Request) => Promise<Response>, path: string, key: string, body: string | Uint8Array<ArrayBuffer>) {
  return handler(
    new Request(`http://localhost${path}`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${key}` }, body }),
  );
}

async function issues(response: Response) {
  const json = (await response.json()) as { error: { code: string; issues?: { path: string }[] } };
  return { code: json.error.code, paths: (json.error.issues ?? []).map((i) => i.path) };
}

async function signedIn(role: "agent" | "manager") {
  const user = await createUser(role);
  const cookie = await sessionCookie({ id: user.id, email: user.email, name: user.name ?? "Test", role }, SECRET);
  return (work: () => Promise<unknown>) => withRequestHeaders(new Headers({ cookie }), work);
}

describe("texts that cannot be stored exactly as sent are refused with a 400 naming the field", () => {
  it("a NUL in the suggestion's message, ticketId or topic (was 500 internal_error)", async () => {
    const { key } = await createKey(["suggest"]);
    for (const field of ["message", "ticketId", "topic"]) {
      const body = { message: "where is my refund please", ticketId: unique("T"), topic: "billing", [field]: "where is my refund\u0000 please" };
      const response = await post(postSuggestion, "/api/suggestions", key, JSON.stringify(body));
      expect(response.status).toBe(400);
      expect(await issues(response)).toEqual({ code: "invalid_request", paths: [field] });
    }
  });

  it("a lone surrogate in ingest and suggestions (was stored as U+FFFD)", async () => {
    const { key } = await createKey(["feedback:write", "suggest"]);
    const ticketId = unique("T");
    const ingest = await post(postFeedback, "/api/feedback-replay", key, `{"message":"refund \\ud800 please","aiReply":"ok","feedback":"yes","agentReply":"ok","ticketId":"${ticketId}"}`);
    expect(ingest.status).toBe(400);
    expect(await issues(ingest)).toEqual({ code: "invalid_request", paths: ["message"] });
    const suggest = await post(postSuggestion, "/api/suggestions", key, `{"message":"refund \\udc00 please"}`);
    expect(suggest.status).toBe(400);
    expect((await issues(suggest)).paths).toEqual(["message"]);
    const { rows } = await getPool().query("SELECT count(*)::int AS n FROM feedback_replay_log WHERE ticket_id = $1", [ticketId]);
    expect(rows[0].n).toBe(0);
  });

  it("invalid UTF-8 bytes in a body (was 201, stored as U+FFFD)", async () => {
    const { key } = await createKey(["feedback:write"]);
    const ticketId = unique("T");
    const bytes = new Uint8Array(Buffer.concat([Buffer.from('{"message":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(`","aiReply":"ok","agentReply":"ok","feedback":"yes","ticketId":"${ticketId}"}`)]));
    const response = await post(postFeedback, "/api/feedback-replay", key, bytes);
    expect(response.status).toBe(400);
    expect(await issues(response)).toEqual({ code: "invalid_encoding", paths: ["message"] });
    const { rows } = await getPool().query("SELECT count(*)::int AS n FROM feedback_replay_log WHERE ticket_id = $1", [ticketId]);
    expect(rows[0].n).toBe(0);
  });

  it("accepted text is stored exactly as sent (astral characters, U+FFFD itself, combining marks)", async () => {
    const { key } = await createKey(["feedback:write"]);
    const message = unique("Refund 🙂 \uFFFD e\u0301 \u2028 please");
    const response = await post(postFeedback, "/api/feedback-replay", key, JSON.stringify({ message, aiReply: "ok", agentReply: "ok", feedback: "yes" }));
    expect(response.status).toBe(201);
    expect((await findReplay(((await response.json()) as { id: string }).id))?.message).toBe(message);
  });

  it("a NUL in the queue's filters (was 500)", async () => {
    const as = await signedIn("agent");
    for (const query of ["topic=%00", "ticket=a%00b"]) {
      const response = (await as(() => getQueue(new Request(`http://localhost/api/queue?${query}`)))) as Response;
      expect(response.status).toBe(400);
    }
  });

  it("server actions: a NUL in editCompletionAction's completion, a lone surrogate in the agent's submit (were internal_error / U+FFFD)", async () => {
    const { editCompletionAction } = await import("@/app/training/review/actions");
    const { submitFeedbackAction } = await import("@/app/replays/actions");
    const example = await storeTrainingExample({ prompt: unique("Where is my refund?"), completion: "Refunded today." });
    const asManager = await signedIn("manager");
    const edited = await asManager(() => editCompletionAction({ id: example.id, completion: "A better\u0000 reply." }));
    expect(edited).toMatchObject({ ok: false, code: "invalid_request", message: expect.stringMatching(/NUL/) });

    const replay = await createPendingReplay();
    const asAgent = await signedIn("agent");
    const submitted = await asAgent(() =>
      submitFeedbackAction({ replayId: replay.id, submissionId: crypto.randomUUID(), agentReply: "Sorry \ud800 refunded", feedback: "no" }),
    );
    expect(submitted).toMatchObject({ ok: false, code: "invalid_request", fieldErrors: { agentReply: expect.stringMatching(/surrogate/) } });
    expect((await findReplay(replay.id))?.status).toBe("pending");
  });

  it("the database layer refuses what a schema missed: 400 invalid_text, never a 500 or a silent U+FFFD", async () => {
    for (const bad of ["a\u0000b", "a\ud800b"]) {
      await expect(getPool().query("SELECT $1::text", [bad])).rejects.toMatchObject({ code: "invalid_text", status: 400 });
      await expect(getDb().execute(sql`SELECT ${bad}::text`)).rejects.toMatchObject({ cause: { code: "invalid_text" } });
      const client = await getPool().connect();
      try {
        await expect(client.query({ text: "SELECT $1::text", values: [bad] })).rejects.toMatchObject({ code: "invalid_text" });
      } finally {
        client.release();
      }
    }
    // A surrogate pair is fine.
    expect((await getPool().query("SELECT $1::text AS t", ["a🙂b"])).rows[0].t).toBe("a🙂b");
  });
});
