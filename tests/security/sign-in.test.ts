import { randomBytes } from "node:crypto";
import type { ReactElement } from "react";
import NextAuth from "next-auth";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getAuthOptions } from "@/lib/auth/options";
import { getSessionUser } from "@/lib/auth/session";
import { resetEnvCache } from "@/lib/env";
import { createUser } from "../support/factories";
import { withRequestHeaders } from "./support/request-scope";
import { sessionCookie } from "./support/sessions";

vi.mock("next/headers", async () => (await import("./support/session-seam")).nextHeaders);
vi.mock("next-auth", async (original) => (await import("./support/session-seam")).withRequestSession(await original()));

const SECRET = randomBytes(32).toString("base64url");
const SSO = { OIDC_ISSUER: "http://127.0.0.1:9/idp", OIDC_CLIENT_ID: "feedback-replay", OIDC_CLIENT_SECRET: "s3cret", OIDC_PROVIDERS: "" };
const DEMO = { OIDC_ISSUER: "", OIDC_CLIENT_ID: "", OIDC_CLIENT_SECRET: "", OIDC_PROVIDERS: "" };

function configure(vars: Record<string, string>) {
  vi.stubEnv("NEXTAUTH_SECRET", SECRET);
  for (const [k, v] of Object.entries(vars)) vi.stubEnv(k, v);
  resetEnvCache();
}

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});

type AuthResponse = { status: number; headers: Record<string, string | string[]>; body?: unknown; redirect?: string };

/**
 * next-auth's public handler in its API-route form: the same core the /api/auth/* route runs,
 * without Next.js's request plumbing. Returns the status, the Set-Cookie lines, and the body.
 */
async function auth(path: string, { method = "GET", cookies = {}, body }: { method?: string; cookies?: Record<string, string>; body?: Record<string, string> } = {}) {
  const result: AuthResponse = { status: 200, headers: {} };
  const res = {
    status(code: number) { result.status = code; return res; },
    setHeader(name: string, value: string | string[]) { result.headers[name.toLowerCase()] = value; return res; },
    getHeader(name: string) { return result.headers[name.toLowerCase()]; },
    json(value: unknown) { result.body = value; return res; },
    send(value: unknown) { result.body = value; return res; },
    end() { result.redirect = result.headers.location as string | undefined; return res; },
  };
  const req = { method, cookies, body, headers: { host: "localhost" }, query: { nextauth: path.split("/") } };
  await (NextAuth as unknown as (req: unknown, res: unknown, options: unknown) => Promise<void>)(req, res, getAuthOptions());
  return result;
}

function setCookies(response: AuthResponse): string[] {
  const value = response.headers["set-cookie"] ?? [];
  return Array.isArray(value) ? value : [value];
}

/** The demo sign-in exactly as the browser's signIn("demo", { email }) does it: CSRF, then POST. */
async function demoSignIn(email: string) {
  const csrf = await auth("csrf");
  const cookies = Object.fromEntries(setCookies(csrf).map((line) => line.split(";")[0]!.split("=") as [string, string]).map(([k, v]) => [k, decodeURIComponent(v)]));
  const response = await auth("callback/demo", { method: "POST", cookies, body: { csrfToken: (csrf.body as { csrfToken: string }).csrfToken, email, callbackUrl: "/replays" } });
  return { response, session: setCookies(response).find((line) => /next-auth\.session-token=[^;]+/.test(line)) };
}

describe("demo sign-in while SSO is configured", () => {
  it("does not exist: not among the providers, and signing in through it makes no session", async () => {
    const user = await createUser("admin");
    configure(SSO);
    expect(getAuthOptions().providers.map((p) => p.id)).toEqual(["oidc"]);
    expect(Object.keys((await auth("providers")).body as object)).toEqual(["oidc"]);
    const { response, session } = await demoSignIn(user.email);
    expect(session).toBeUndefined();
    expect(String(response.headers.location ?? "")).not.toContain("/replays");
  });

  it("(control) does exist in demo mode and makes an HttpOnly, SameSite=Lax session cookie", async () => {
    const user = await createUser("agent");
    configure({ ...DEMO, NEXTAUTH_URL: "http://localhost:3000" });
    const { session } = await demoSignIn(user.email);
    expect(session).toMatch(/^next-auth\.session-token=/);
    expect(session).toMatch(/; HttpOnly/);
    expect(session).toMatch(/; SameSite=Lax/);
    expect(session).not.toMatch(/; Secure/);
  });

  it("marks the session cookie Secure (and __Secure-) when the app is served over https", async () => {
    const user = await createUser("agent");
    configure({ ...DEMO, NEXTAUTH_URL: "https://replay.example.com" });
    const { session } = await demoSignIn(user.email);
    expect(session).toMatch(/^__Secure-next-auth\.session-token=/);
    expect(session).toMatch(/; HttpOnly/);
    expect(session).toMatch(/; SameSite=Lax/);
    expect(session).toMatch(/; Secure/);
  });

  it("refuses a demo session cookie once SSO is switched on with the same secret", async () => {
    const user = await createUser("admin");
    const cookie = await sessionCookie(user, SECRET, "demo");
    configure(DEMO);
    expect(await withRequestHeaders(new Headers({ cookie }), getSessionUser)).toMatchObject({ id: user.id, role: "admin" });
    configure(SSO);
    expect(await withRequestHeaders(new Headers({ cookie }), getSessionUser)).toBeNull();
    expect(await withRequestHeaders(new Headers({ cookie: await sessionCookie(user, SECRET, "oidc") }), getSessionUser)).toMatchObject({ id: user.id });
  });
});

/** Every component in a rendered server component tree (one level of async components deep). */
function componentsIn(node: unknown, found = new Set<unknown>()): Set<unknown> {
  if (Array.isArray(node)) node.forEach((n) => componentsIn(n, found));
  else if (node && typeof node === "object" && "type" in node) {
    const element = node as ReactElement<{ children?: unknown }>;
    found.add(element.type);
    componentsIn(element.props?.children, found);
  }
  return found;
}

describe("the sign-in page", () => {
  async function render() {
    const { default: SignInPage } = await import("@/app/signin/page");
    return componentsIn(await withRequestHeaders(new Headers(), () => SignInPage({ searchParams: Promise.resolve({}) })));
  }

  it("shows SSO buttons and no demo list when SSO is configured, and the demo list otherwise", async () => {
    const { DemoSignIn } = await import("@/app/signin/demo-sign-in");
    const { SsoButtons } = await import("@/app/signin/sso-buttons");
    configure(SSO);
    const sso = await render();
    expect(sso.has(SsoButtons)).toBe(true);
    expect(sso.has(DemoSignIn)).toBe(false);
    configure(DEMO);
    const demo = await render();
    expect(demo.has(DemoSignIn)).toBe(true);
    expect(demo.has(SsoButtons)).toBe(false);
  });
});
