import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { waitForBackgroundAnalyses } from "@/lib/ai/schedule-failure-analysis";
import { revokeApiKey } from "@/lib/api-keys/revoke-api-key";
import { API_SCOPES } from "@/lib/api-keys/schemas";
import { hasRole, ROLES, type Role } from "@/lib/auth/roles";
import { resetEnvCache } from "@/lib/env";
import { groupingSettled } from "@/lib/meaning/schedule-grouping";
import { signBody } from "@/lib/integrations/verify-signature";
import { createKey, createUser } from "../support/factories";
import { ACTIONS, PAGES, ROUTES, type Access, type ActionEntry, type RouteEntry } from "./endpoints";
import { fingerprintDatabase, useIsolatedDatabase } from "./support/isolated-database";
import { withRequestHeaders } from "./support/request-scope";
import { forgedSessionCookie, sessionCookie } from "./support/sessions";

vi.mock("next/headers", async () => (await import("./support/session-seam")).nextHeaders);
vi.mock("next-auth", async (original) => (await import("./support/session-seam")).withRequestSession(await original()));
// Cache invalidation needs a Next.js server's request scope; outside one it has nothing to do.
vi.mock("next/cache", async (original) => ({ ...(await original<Record<string, unknown>>()), revalidatePath: () => {}, revalidateTag: () => {} }));

const SECRET = randomBytes(32).toString("base64url");
const CRON_SECRET = randomBytes(24).toString("base64url");
const MAX_BODY = 64 * 1024;
const HTML = `<script>alert("x")</script><img src=x onerror=alert(1)>`;
// The helpdesk webhooks' secrets (issue 16); a request is signed over its actual body in callRoute.
const HELPDESK_SECRETS = { zendesk: randomBytes(24).toString("base64"), intercom: randomBytes(16).toString("hex"), webhook: randomBytes(24).toString("base64url") };
const SIGN_WITH = "x-test-sign-with";

type Headers_ = Record<string, string>;
const creds = {} as {
  session: Record<Role, Headers_>;
  forged: Headers_;
  key: (scope: string) => Headers_;
  revokedKey: (scope: string) => Headers_;
  wrongScopeKey: (scope: string) => Headers_;
  unknownKey: Headers_;
};

beforeAll(async () => {
  vi.stubEnv("NEXTAUTH_SECRET", SECRET);
  vi.stubEnv("NEXTAUTH_URL", "http://localhost");
  vi.stubEnv("CRON_SECRET", CRON_SECRET);
  vi.stubEnv("API_MAX_BODY_BYTES", String(MAX_BODY));
  vi.stubEnv("ZENDESK_WEBHOOK_SECRET", HELPDESK_SECRETS.zendesk);
  vi.stubEnv("INTERCOM_CLIENT_SECRET", HELPDESK_SECRETS.intercom);
  vi.stubEnv("HELPDESK_WEBHOOK_SECRET", HELPDESK_SECRETS.webhook);
  vi.stubEnv("OIDC_ISSUER", "");
  vi.stubEnv("OIDC_PROVIDERS", "");
  resetEnvCache();
  await useIsolatedDatabase();

  const session = {} as Record<Role, Headers_>;
  for (const role of ROLES) session[role] = { cookie: await sessionCookie(await createUser(role), SECRET) };
  creds.session = session;
  creds.forged = { cookie: await forgedSessionCookie(await createUser("agent")) };
  const keys: Record<string, { live: string; revoked: string; other: string }> = {};
  for (const scope of API_SCOPES) {
    const revoked = await createKey([scope]);
    await revokeApiKey(revoked.prefix);
    const otherScope = API_SCOPES.find((s) => s !== scope && s !== "admin")!;
    keys[scope] = { live: (await createKey([scope])).key, revoked: revoked.key, other: (await createKey([otherScope])).key };
  }
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
  creds.key = (scope) => bearer(keys[scope]!.live);
  creds.revokedKey = (scope) => bearer(keys[scope]!.revoked);
  creds.wrongScopeKey = (scope) => bearer(keys[scope]!.other);
  creds.unknownKey = bearer(`frk_${randomBytes(6).toString("hex")}_${randomBytes(24).toString("base64url")}`);
});

afterAll(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});

// --- calling things the way Next.js would ------------------------------------------------------

// Params that name a row are made once, before any fingerprint is taken.
const resolvedParams = new Map<RouteEntry, Record<string, string | string[]>>();
beforeAll(async () => {
  for (const entry of ROUTES) if (typeof entry.params === "function") resolvedParams.set(entry, await entry.params());
});

async function callRoute(entry: RouteEntry, { headers = {}, body }: { headers?: Headers_; body?: string } = {}): Promise<Response> {
  const mod = await entry.load();
  if (headers[SIGN_WITH]) {
    const { [SIGN_WITH]: secret, ...rest } = headers;
    const source = (entry.access as { source: keyof typeof HELPDESK_SECRETS }).source;
    headers = { ...rest, ...signBody(source, secret, body ?? "") };
  }
  const handler = mod[entry.method] as (request: Request, context: unknown) => Promise<Response>;
  const all = new Headers({ host: "localhost", ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers });
  const request = new Request(`http://localhost${entry.path}`, { method: entry.method, headers: all, body });
  const params = typeof entry.params === "function" ? resolvedParams.get(entry)! : (entry.params ?? {});
  return withRequestHeaders(all, () => handler(request, { params: Promise.resolve(params) }));
}

type Verdict = "unauthenticated" | "forbidden" | "invalid" | "crashed" | "allowed";

/** What an action's or page's outcome means, whatever style it reports refusals in. */
function verdictOf(outcome: { threw: boolean; value: unknown }): Verdict {
  const v = outcome.value as { digest?: unknown; status?: unknown; ok?: unknown; code?: unknown } | undefined;
  if (outcome.threw) {
    const digest = String(v?.digest ?? "");
    if (digest.startsWith("NEXT_REDIRECT") && digest.includes(";/signin")) return "unauthenticated";
    if (digest.startsWith("NEXT_REDIRECT") && digest.includes(";/forbidden")) return "forbidden";
    if (v?.status === 401) return "unauthenticated";
    if (v?.status === 403) return "forbidden";
    if (typeof v?.status === "number" && v.status >= 400 && v.status < 500) return "invalid";
    return "crashed";
  }
  if (v && typeof v === "object" && v.ok === false) {
    if (v.code === "unauthenticated") return "unauthenticated";
    if (v.code === "forbidden") return "forbidden";
    return v.code === "internal_error" ? "crashed" : "invalid";
  }
  return "allowed";
}

async function settle(work: () => Promise<unknown>) {
  try {
    return { threw: false, value: await work() };
  } catch (error) {
    return { threw: true, value: error };
  }
}

async function callAction(entry: ActionEntry, headers: Headers_, args: unknown[]) {
  const mod = await entry.load();
  const action = mod[entry.id.split("#")[1]!] as (...a: unknown[]) => Promise<unknown>;
  const all = new Headers({ host: "localhost", ...headers });
  return verdictOf(await settle(() => withRequestHeaders(all, () => action(...args))));
}

/** Runs `work` and asserts that no table changed. */
async function expectNothingStored(work: () => Promise<void>) {
  // A control call's "no" starts a self-critique in the background: let it finish first, or its
  // update of failure_analyses lands between the two fingerprints.
  await waitForBackgroundAnalyses();
  // Likewise the grouping of a control call's replay (lib/meaning/schedule-grouping.ts).
  await groupingSettled();
  const before = await fingerprintDatabase();
  await work();
  expect(await fingerprintDatabase()).toEqual(before);
}

async function expectJsonRefusal(response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const body = await response.json();
  expect(body.error.message.length).toBeGreaterThan(10);
}

// --- the attacks, derived from each entry's access rule ----------------------------------------

const below = (role: Role) => ROLES.filter((r) => !hasRole(r, role));
const an = (role: Role) => (role === "manager" ? `a ${role}` : `an ${role}`);

function refusals(access: Access): { name: string; headers: () => Headers_; status: number }[] {
  if (access.kind === "public") return [];
  const common = [
    { name: "no credentials", headers: () => ({}), status: 401 },
    { name: "a forged session cookie (admin claims, another secret)", headers: () => creds.forged, status: 401 },
    { name: "a garbage session cookie", headers: () => ({ cookie: "next-auth.session-token=not.a.jwt" }), status: 401 },
  ];
  const roles = (role: Role) => below(role).map((r) => ({ name: `${an(r)} session (needs ${role})`, headers: () => creds.session[r], status: 403 }));
  const keys = (scope: string) => [
    { name: "an unknown API key", headers: () => creds.unknownKey, status: 401 },
    { name: "a malformed API key", headers: () => ({ authorization: "Bearer ' OR 1=1 --" }), status: 401 },
    { name: `a revoked ${scope} key`, headers: () => creds.revokedKey(scope), status: 401 },
    ...(scope === "admin" ? [] : [{ name: `a key without the ${scope} scope`, headers: () => creds.wrongScopeKey(scope), status: 403 }]),
  ];
  switch (access.kind) {
    case "session":
      return [...common, ...roles(access.role), { name: "an admin API key instead of a session", headers: () => creds.key("admin"), status: 401 }];
    case "api-key":
      return [...common, ...keys(access.scope), { name: "an admin session instead of a key", headers: () => creds.session.admin, status: 401 }];
    case "session-or-api-key":
      return [...common, ...roles(access.role), ...keys(access.scope)];
    case "signed":
      return [
        ...common,
        { name: "a signature made with another secret", headers: () => ({ [SIGN_WITH]: randomBytes(24).toString("base64") }), status: 401 },
        { name: "a signature of another body", headers: () => signBody(access.source, HELPDESK_SECRETS[access.source], "{}"), status: 401 },
        { name: "an admin session instead of a signature", headers: () => creds.session.admin, status: 401 },
        { name: "an admin API key instead of a signature", headers: () => creds.key("admin"), status: 401 },
      ];
    case "cron":
      return [
        ...common,
        { name: "a wrong cron secret", headers: () => ({ authorization: `Bearer ${randomBytes(24).toString("base64url")}` }), status: 401 },
        { name: "the cron secret plus one character", headers: () => ({ authorization: `Bearer ${CRON_SECRET}x` }), status: 401 },
        { name: "the cron secret without Bearer", headers: () => ({ authorization: CRON_SECRET }), status: 401 },
        { name: "an admin session", headers: () => creds.session.admin, status: 401 },
        { name: "an admin API key", headers: () => creds.key("admin"), status: 401 },
      ];
  }
}

function allowed(access: Access): Headers_ {
  switch (access.kind) {
    case "public":
      return {};
    case "session":
    case "session-or-api-key":
      return creds.session[access.role];
    case "api-key":
      return creds.key(access.scope);
    case "cron":
      return { authorization: `Bearer ${CRON_SECRET}` };
    case "signed":
      return { [SIGN_WITH]: HELPDESK_SECRETS[access.source] };
  }
}

function mapStrings(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === "string") return f(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, f)]));
  return value;
}

describe.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))("%s", (_, entry) => {
  it.each(refusals(entry.access).map((r) => [r.name, r] as const))("refuses %s and stores nothing", async (_name, refusal) => {
    const body = entry.body ? JSON.stringify(await entry.body()) : undefined;
    await expectNothingStored(async () => expectJsonRefusal(await callRoute(entry, { headers: refusal.headers(), body }), refusal.status));
  });

  it("lets the right caller through (the control for the refusals above)", async () => {
    const body = entry.body ? JSON.stringify(await entry.body()) : undefined;
    const response = await callRoute(entry, { headers: allowed(entry.access), body });
    expect(response.status).toBeLessThan(400);
    // A streamed response (the JSONL export) finishes its writes when read to the end; an event
    // stream (the queue's push) never ends: its first event is read, then it is closed.
    if (response.headers.get("content-type")?.startsWith("text/event-stream")) {
      const reader = response.body!.getReader();
      expect((await reader.read()).done).toBe(false);
      await reader.cancel();
    } else await response.arrayBuffer();
  });

  if (entry.access.kind === "cron") {
    it("refuses everyone with 503 while CRON_SECRET is unset", async () => {
      vi.stubEnv("CRON_SECRET", "");
      resetEnvCache();
      try {
        await expectNothingStored(async () => expectJsonRefusal(await callRoute(entry, { headers: { authorization: "Bearer " } }), 503));
        await expectJsonRefusal(await callRoute(entry, { headers: { authorization: `Bearer ${CRON_SECRET}` } }), 503);
      } finally {
        vi.stubEnv("CRON_SECRET", CRON_SECRET);
        resetEnvCache();
      }
    });
  }

  if (!entry.body) return;
  const bodyOf = entry.body;

  const attacks: [string, () => Promise<string>, Headers_, number][] = [
    ["an oversized body", async () => JSON.stringify(mapStrings(await bodyOf(), (s) => s + "x".repeat(MAX_BODY))), {}, 413],
    ["malformed JSON", async () => `${JSON.stringify(await bodyOf()).slice(0, -3)}`, {}, 400],
    ["JSON that is not an object", async () => "[1,2,3]", {}, 400],
    ["null", async () => "null", {}, 400],
    ["a form instead of JSON", async () => "message=hi&feedback=no", { "content-type": "application/x-www-form-urlencoded" }, 415],
  ];
  it.each(attacks)("refuses %s with a clear error and stores nothing", async (_name, make, extra, status) => {
    const body = await make();
    await expectNothingStored(async () => expectJsonRefusal(await callRoute(entry, { headers: { ...allowed(entry.access), ...extra }, body }), status));
  });

  it("does not let __proto__ in a body pollute objects", async () => {
    const body = `{"__proto__":{"polluted":true},${JSON.stringify(await bodyOf()).slice(1)}`;
    const response = await callRoute(entry, { headers: allowed(entry.access), body });
    expect(response.status).toBeLessThan(500);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("answers HTML/script payloads as JSON data, never as a page", async () => {
    const body = JSON.stringify(mapStrings(await bodyOf(), (s) => (s.includes("@") ? s : `${s} ${HTML}`)));
    const response = await callRoute(entry, { headers: allowed(entry.access), body });
    expect(response.status).toBeLessThan(500);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  });
});

describe.each(ACTIONS.map((a) => [a.id, a] as const))("server action %s", (_, entry) => {
  const wrongCallers = [
    ["no session", () => ({}), "unauthenticated"],
    ["a forged session cookie (admin claims, another secret)", () => creds.forged, "unauthenticated"],
    ["an admin API key (actions take sessions only)", () => creds.key("admin"), "unauthenticated"],
    ...below(entry.role).map((r) => [`${an(r)} session (needs ${entry.role})`, () => creds.session[r], "forbidden"] as const),
  ] as const;

  it.each(wrongCallers.map(([name, headers, verdict]) => [name, headers, verdict] as const))("refuses %s and stores nothing", async (_name, headers, verdict) => {
    const args = await entry.args();
    await expectNothingStored(async () => expect(await callAction(entry, headers(), args)).toBe(verdict));
  });

  it.each([
    ["no argument", () => []],
    ["null", () => [null]],
    ["a string", () => ["<script>alert(1)</script>"]],
    ["an array", () => [[1, 2]]],
    ["an empty object", () => [{}]],
    ["oversized fields", async () => mapStrings(await entry.args(), (s) => s + "x".repeat(1_000_000)) as unknown[]],
  ] as const)("refuses %s from the right role with a validation error and stores nothing", async (_name, make) => {
    const args = await make();
    await expectNothingStored(async () => expect(await callAction(entry, creds.session[entry.role], args)).toBe("invalid"));
  });

  it("lets the right role through (the control for the refusals above)", async () => {
    expect(await callAction(entry, creds.session[entry.role], await entry.args())).toBe(entry.control ?? "allowed");
  });
});

describe.each(PAGES.map((p) => [p.path, p] as const))("page %s", (_, entry) => {
  async function render(headers: Headers_) {
    const mod = await entry.load();
    const Page = mod.default as (props: unknown) => Promise<unknown>;
    const all = new Headers({ host: "localhost", ...headers });
    const params = entry.params ? await entry.params() : {};
    return verdictOf(await settle(() => withRequestHeaders(all, () => Page({ params: Promise.resolve(params), searchParams: Promise.resolve({}) }))));
  }

  it("sends the signed-out and forged sessions to sign-in", async () => {
    expect(await render({})).toBe("unauthenticated");
    expect(await render(creds.forged)).toBe("unauthenticated");
  });

  it.each(below(entry.role).map((r) => [r] as const))("sends the %s role to the refusal page", async (role) => {
    expect(await render(creds.session[role])).toBe("forbidden");
  });

  it("renders for the right role", async () => {
    expect(await render(creds.session[entry.role])).toBe("allowed");
  });
});
