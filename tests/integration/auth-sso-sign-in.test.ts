import { randomUUID } from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import type { Account, User } from "next-auth";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { getAuthOptions } from "@/lib/auth/options";
import { getDb } from "@/lib/db/client";
import { auditLog, users } from "@/lib/db/schema";
import { resetEnvCache } from "@/lib/env";

beforeEach(() => {
  vi.stubEnv("NEXTAUTH_SECRET", "integration-secret-0123456789");
  vi.stubEnv("NEXTAUTH_URL", "https://replay.acme.test");
  vi.stubEnv("OIDC_ISSUER", "https://login.acme.test");
  vi.stubEnv("OIDC_CLIENT_ID", "feedback-replay");
  vi.stubEnv("OIDC_CLIENT_SECRET", "secret");
  vi.stubEnv("ROLE_MAP", "support-managers=manager,it-admins=admin");
  vi.stubEnv("ALLOWED_EMAIL_DOMAINS", "acme.test");
  resetEnvCache();
});

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});

/** What next-auth does after the OIDC callback verified the ID token: signIn, then jwt, then session. */
async function signInWith(claims: Record<string, unknown>, ip = "203.0.113.9") {
  const options = getAuthOptions({ ip });
  const user = { id: String(claims.sub), email: claims.email as string, name: (claims.name as string) ?? null } as User;
  const account = { provider: "oidc", type: "oauth", providerAccountId: String(claims.sub) } as Account;
  const allowed = await options.callbacks!.signIn!({ user, account, profile: claims as never });
  if (allowed !== true) return { allowed, token: null };
  const token = await options.callbacks!.jwt!({ token: { email: user.email, name: user.name }, user, account, trigger: "signIn" } as never);
  return { allowed, token };
}

const email = () => `${randomUUID().slice(0, 8)}@acme.test`;

async function auditFor(target: string) {
  return getDb().select().from(auditLog).where(eq(auditLog.target, target)).orderBy(desc(auditLog.createdAt));
}

describe("SSO sign-in", () => {
  it("records a new user with the role from their groups, and audits the sign-in", async () => {
    const address = email();
    const { allowed, token } = await signInWith({ sub: "u1", email: address.toUpperCase(), email_verified: true, name: "Mia Manager", groups: ["support-managers", "staff"] });
    expect(allowed).toBe(true);
    const [stored] = await getDb().select().from(users).where(eq(users.email, address));
    expect(stored).toMatchObject({ name: "Mia Manager", role: "manager" });
    expect(stored!.lastSignInAt).toBeInstanceOf(Date);
    expect(token).toMatchObject({ uid: stored!.id, role: "manager", provider: "oidc" });
    const [entry] = await auditFor(address);
    expect(entry).toMatchObject({ actorType: "user", actorId: stored!.id, action: "auth.sign_in", ip: "203.0.113.9", details: { provider: "oidc", role: "manager", firstSignIn: true, matched: ["support-managers"] } });
  });

  it("refreshes the role at every sign-in and audits the change", async () => {
    const address = email();
    await signInWith({ sub: "u2", email: address, name: "Al", groups: [] });
    const { token } = await signInWith({ sub: "u2", email: address, name: "Al", groups: ["it-admins"] });
    expect(token).toMatchObject({ role: "admin" });
    const [stored] = await getDb().select().from(users).where(eq(users.email, address));
    expect(stored!.role).toBe("admin");
    const changes = await getDb().select().from(auditLog).where(and(eq(auditLog.target, address), eq(auditLog.action, "user.role_change")));
    expect(changes).toHaveLength(1);
    expect(changes[0]!.details).toMatchObject({ from: "agent", to: "admin", source: "oidc" });
    // Same groups again: a sign-in, no role change.
    await signInWith({ sub: "u2", email: address, name: "Al", groups: ["it-admins"] });
    expect(await getDb().select().from(auditLog).where(and(eq(auditLog.target, address), eq(auditLog.action, "user.role_change")))).toHaveLength(1);
  });

  it("refuses another domain with a page that says why, stores no user, and audits the refusal", async () => {
    const address = `${randomUUID().slice(0, 8)}@gmail.example`;
    const { allowed } = await signInWith({ sub: "u3", email: address, email_verified: true, groups: ["it-admins"] });
    expect(allowed).toBe("https://replay.acme.test/signin/refused?reason=domain&domain=gmail.example");
    expect(await getDb().select().from(users).where(eq(users.email, address))).toHaveLength(0);
    const [entry] = await auditFor(address);
    expect(entry).toMatchObject({ actorType: "anonymous", action: "auth.sign_in_refused", details: { provider: "oidc", reason: "domain" } });
  });

  it("refuses a provider id that is not configured (e.g. demo under SSO)", async () => {
    const options = getAuthOptions();
    const account = { provider: "demo", type: "credentials", providerAccountId: "x" } as Account;
    expect(await options.callbacks!.signIn!({ user: { id: "x", email: "omar.admin@example.com" } as User, account })).toBe(false);
  });
});
