import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getPool } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/env";
import { groupingSettled } from "@/lib/meaning/schedule-grouping";
import { signBody, type IntegrationSource } from "@/lib/integrations/verify-signature";
import { createPendingReplay, createUser } from "../support/factories";
import { randomWords } from "../support/training-factories";
import { fingerprintDatabase, useIsolatedDatabase } from "../security/support/isolated-database";

// A database of this file's own: refusals are checked against a fingerprint of every table.
const SECRETS: Record<IntegrationSource, string> = {
  zendesk: randomBytes(24).toString("base64"),
  intercom: randomBytes(16).toString("hex"),
  webhook: randomBytes(24).toString("base64url"),
};

beforeAll(async () => {
  vi.stubEnv("ZENDESK_WEBHOOK_SECRET", SECRETS.zendesk);
  vi.stubEnv("INTERCOM_CLIENT_SECRET", SECRETS.intercom);
  vi.stubEnv("HELPDESK_WEBHOOK_SECRET", SECRETS.webhook);
  resetEnvCache();
  await useIsolatedDatabase();
});

afterAll(async () => {
  await groupingSettled();
  vi.unstubAllEnvs();
  resetEnvCache();
});

const ROUTES = {
  zendesk: () => import("@/app/api/integrations/zendesk/route"),
  intercom: () => import("@/app/api/integrations/intercom/route"),
  webhook: () => import("@/app/api/integrations/webhook/route"),
};

async function post(source: IntegrationSource, body: unknown, headers?: Record<string, string>) {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const signed = headers ?? signBody(source, SECRETS[source], raw);
  const { POST } = await ROUTES[source]();
  const response = await POST(new Request(`http://localhost/api/integrations/${source}`, { method: "POST", headers: { "content-type": "application/json", ...signed }, body: raw }));
  return { status: response.status, body: await response.json() };
}

async function lastRefusal(source: IntegrationSource) {
  const { rows } = await getPool().query("SELECT last_refusal_reason FROM integration_status WHERE source = $1", [source]);
  return rows[0]?.last_refusal_reason ?? null;
}

async function expectNothingStored(work: () => Promise<void>) {
  await groupingSettled();
  const before = await fingerprintDatabase();
  await work();
  expect(await fingerprintDatabase()).toEqual(before);
}

async function replaysOf(ticket: string) {
  const { rows } = await getPool().query(
    `SELECT r.id, r.message, r.ai_reply, r.agent_reply, r.feedback, r.feedback_inferred, r.source, r.status, r.agent_id, r.prompt_group_id,
            (SELECT count(*)::int FROM training_log t WHERE t.replay_id = r.id) AS examples
     FROM feedback_replay_log r WHERE r.ticket_id = $1 ORDER BY r.created_at`,
    [ticket],
  );
  return rows;
}

// --- payloads in each provider's documented shape ----------------------------------------------

const nowIso = () => new Date().toISOString();
const zendeskComment = ({ ticket, body, staff, isPublic = true }: { ticket: string; body: string; staff: boolean; isPublic?: boolean }) => ({
  account_id: 12514403,
  detail: { id: ticket, requester_id: "6596848315901", status: "OPEN", subject: "Question", tags: ["billing"], via: { channel: "web_form" } },
  event: { comment: { author: { id: "6596848315901", is_staff: staff, name: staff ? "Agent" : "Customer" }, body, id: String(Date.now()), is_public: isPublic } },
  id: `${randomWords(2).replace(" ", "-")}`,
  subject: `zen:ticket:${ticket}`,
  time: nowIso(),
  type: "zen:event-type:ticket.comment_added",
  zendesk_event_version: "2022-11-06",
});

const intercomNotification = ({ topic, conversation, part, createdAt = Math.floor(Date.now() / 1000) }: { topic: string; conversation: string; part?: { type: string; body: string; email?: string }; createdAt?: number }) => ({
  type: "notification_event",
  app_id: "a86dr8yl",
  data: {
    type: "notification_event_data",
    item: {
      type: "conversation",
      id: conversation,
      created_at: createdAt - 60,
      source: { type: "conversation", body: part && part.type === "user" ? `<p>${part.body}</p>` : "<p>Hi</p>", author: { type: "user", id: "5310d8e7" } },
      tags: { type: "tag.list", tags: [] },
      conversation_parts: {
        type: "conversation_part.list",
        conversation_parts: part
          ? [{ type: "conversation_part", id: String(createdAt), part_type: "comment", body: `<p>${part.body.replace(/&/g, "&amp;")}</p>`, author: { type: part.type, id: "814860", name: "A", email: part.email ?? null } }]
          : [],
        total_count: part ? 1 : 0,
      },
    },
  },
  links: {},
  id: `notif_${randomBytes(8).toString("hex")}`,
  topic,
  delivery_status: "pending",
  delivery_attempts: 1,
  delivered_at: 0,
  first_sent_at: createdAt,
  created_at: createdAt,
  self: null,
});

const generic = (type: string, fields: Record<string, unknown>) => ({ id: `evt_${randomBytes(8).toString("hex")}`, type, ...fields });

// --- signatures --------------------------------------------------------------------------------

const validBodies: Record<IntegrationSource, () => unknown> = {
  zendesk: () => zendeskComment({ ticket: String(Date.now()), body: `Where is my ${randomWords(3)}?`, staff: false }),
  intercom: () => intercomNotification({ topic: "conversation.user.replied", conversation: randomWords(1), part: { type: "user", body: `Where is my ${randomWords(3)}?` } }),
  webhook: () => generic("customer.message", { conversationId: randomWords(1), text: `Where is my ${randomWords(3)}?` }),
};

describe.each(["zendesk", "intercom", "webhook"] as const)("%s signatures", (source) => {
  it("accepts a valid signature and stores the event once; a redelivery is 200 and stores nothing", async () => {
    const body = JSON.stringify(validBodies[source]());
    const headers = signBody(source, SECRETS[source], body);
    const first = await post(source, body, headers);
    expect(first).toMatchObject({ status: 200, body: { ok: true, duplicate: false, kind: "message" } });
    await expectNothingStored(async () => {
      const again = await post(source, body, signBody(source, SECRETS[source], body));
      expect(again).toMatchObject({ status: 200, body: { ok: true, duplicate: true } });
    });
  });

  it("refuses a wrong signature, and stores nothing but the reason", async () => {
    const body = JSON.stringify(validBodies[source]());
    await expectNothingStored(async () => {
      expect((await post(source, body, signBody(source, "not-the-secret-at-all", body))).status).toBe(401);
    });
    expect(await lastRefusal(source)).toBe("signature_invalid");
    // The body changed after signing: the same refusal.
    const signed = signBody(source, SECRETS[source], body);
    await expectNothingStored(async () => expect((await post(source, body.replace("Where", "When"), signed)).status).toBe(401));
  });

  it("refuses a missing signature", async () => {
    await expectNothingStored(async () => expect((await post(source, validBodies[source](), {})).status).toBe(401));
    expect(await lastRefusal(source)).toBe("signature_missing");
  });

  it("refuses a correctly signed event older than 5 minutes", async () => {
    const old = Date.now() - 6 * 60_000;
    const value = validBodies[source]() as Record<string, unknown>;
    if (source === "intercom") value.created_at = Math.floor(old / 1000);
    const body = JSON.stringify(value);
    await expectNothingStored(async () => expect((await post(source, body, signBody(source, SECRETS[source], body, old))).status).toBe(401));
    expect(await lastRefusal(source)).toBe("timestamp_stale");
  });

  it("refuses everything while its secret is unset", async () => {
    const env = { zendesk: "ZENDESK_WEBHOOK_SECRET", intercom: "INTERCOM_CLIENT_SECRET", webhook: "HELPDESK_WEBHOOK_SECRET" }[source];
    vi.stubEnv(env, "");
    resetEnvCache();
    try {
      await expectNothingStored(async () => expect((await post(source, validBodies[source]())).status).toBe(503));
      expect(await lastRefusal(source)).toBe("secret_not_set");
    } finally {
      vi.stubEnv(env, SECRETS[source]);
      resetEnvCache();
    }
  });
});

// --- events to replays -------------------------------------------------------------------------

describe("events to replays", () => {
  it("joins parts that arrive out of order by conversation id into one replay, with an inferred label", async () => {
    const conversation = randomWords(2);
    const message = `Where is my ${randomWords(3)}?`;
    const draft = `Your ${randomWords(3)} ships tomorrow.`;
    const agent = await createUser("agent");
    expect((await post("webhook", generic("agent.reply", { conversationId: conversation, text: draft, agentEmail: agent.email.toUpperCase() }))).body.replayId).toBeNull();
    expect((await post("webhook", generic("ai.draft", { conversationId: conversation, text: draft }))).body.replayId).toBeNull();
    expect(await replaysOf(conversation)).toHaveLength(0);
    const done = await post("webhook", generic("customer.message", { conversationId: conversation, text: message }));
    expect(done.body.replayId).toMatch(/^[0-9a-f-]{36}$/);
    const [replay, ...others] = await replaysOf(conversation);
    expect(others).toHaveLength(0);
    expect(replay).toMatchObject({ message, ai_reply: draft, agent_reply: draft, feedback: "yes", feedback_inferred: true, source: "webhook", status: "submitted", agent_id: agent.id, prompt_group_id: null, examples: 0 });
  });

  it("infers 'not useful' from a rewritten draft, and an agent's explicit label afterwards wins", async () => {
    const conversation = randomWords(2);
    await post("webhook", generic("customer.message", { conversationId: conversation, text: `Cancel my ${randomWords(3)} please` }));
    await post("webhook", generic("ai.draft", { conversationId: conversation, text: `Your ${randomWords(4)} was cancelled.` }));
    await post("webhook", generic("agent.reply", { conversationId: conversation, text: `Reply ${randomWords(5)}.` }));
    expect(await replaysOf(conversation)).toMatchObject([{ feedback: "no", feedback_inferred: true, examples: 1 }]);
    const relabel = await post("webhook", generic("agent.label", { conversationId: conversation, feedback: "yes" }));
    expect(relabel.body.replayId).toBe((await replaysOf(conversation))[0].id);
    expect(await replaysOf(conversation)).toMatchObject([{ feedback: "yes", feedback_inferred: false, examples: 0 }]);
  });

  it("keeps an explicit label given before the reply over what the edit distance says", async () => {
    const conversation = randomWords(2);
    const draft = `Reply ${randomWords(4)}.`;
    await post("webhook", generic("ai.draft", { conversationId: conversation, text: draft }));
    await post("webhook", generic("agent.label", { conversationId: conversation, feedback: "no" }));
    await post("webhook", generic("customer.message", { conversationId: conversation, text: `Help with ${randomWords(3)}` }));
    await post("webhook", generic("agent.reply", { conversationId: conversation, text: draft }));
    expect(await replaysOf(conversation)).toMatchObject([{ feedback: "no", feedback_inferred: false, examples: 1 }]);
  });

  it("Zendesk: the customer's comment, our suggestion for the ticket and the agent's public comment close that suggestion", async () => {
    const ticket = String(Date.now() + Math.floor(Math.random() * 1000));
    const suggestion = await createPendingReplay({ ticketId: ticket, aiReply: "Your parcel left today.", source: "suggestion" });
    await post("zendesk", zendeskComment({ ticket, body: "Where is my parcel?", staff: false }));
    await post("zendesk", zendeskComment({ ticket, body: "Internal: check the warehouse", staff: true, isPublic: false }));
    expect((await replaysOf(ticket))[0]).toMatchObject({ status: "pending" });
    await post("zendesk", zendeskComment({ ticket, body: "Your parcel left today!", staff: true }));
    const replays = await replaysOf(ticket);
    expect(replays).toHaveLength(1);
    expect(replays[0]).toMatchObject({ id: suggestion.id, status: "submitted", agent_reply: "Your parcel left today!", feedback: "yes", feedback_inferred: true });
  });

  it("Intercom: a bot's draft and the admin's reply in a conversation become one replay; the agent is matched by email", async () => {
    const conversation = String(Date.now());
    const agent = await createUser("agent");
    const message = `My ${randomWords(3)} is broken`;
    await post("intercom", intercomNotification({ topic: "conversation.user.replied", conversation, part: { type: "user", body: message } }));
    await post("intercom", intercomNotification({ topic: "conversation.admin.replied", conversation, part: { type: "bot", body: "Try turning it off & on." } }));
    await post("intercom", intercomNotification({ topic: "conversation.admin.replied", conversation, part: { type: "admin", body: `Reply ${randomWords(5)}.`, email: agent.email } }));
    await post("intercom", intercomNotification({ topic: "conversation.admin.closed", conversation }));
    const replays = await replaysOf(conversation);
    expect(replays).toMatchObject([{ message, ai_reply: "Try turning it off & on.", feedback: "no", feedback_inferred: true, source: "intercom", agent_id: agent.id }]);
  });

  it("takes the helpdesk's accepted-suggestion tag over the edit distance", async () => {
    const conversation = randomWords(2);
    await post("webhook", generic("customer.message", { conversationId: conversation, text: `Where is ${randomWords(3)}` }));
    await post("webhook", generic("ai.draft", { conversationId: conversation, text: `Reply ${randomWords(4)}.` }));
    await post("webhook", generic("agent.reply", { conversationId: conversation, text: `Reply ${randomWords(4)}.`, tags: "billing ai_suggestion_accepted" }));
    expect(await replaysOf(conversation)).toMatchObject([{ feedback: "yes", feedback_inferred: true }]);
  });

  it("answers a body that is signed but not an event with 400, and stores nothing", async () => {
    await expectNothingStored(async () => expect((await post("webhook", { id: "x", type: "agent.reply" })).status).toBe(400));
    expect(await lastRefusal("webhook")).toBe("payload_invalid");
  });
});
