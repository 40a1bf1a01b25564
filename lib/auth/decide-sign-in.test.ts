import { describe, expect, it } from "vitest";
import { decideSignIn, readClaimValues, resolveRole } from "@/lib/auth/decide-sign-in";
import type { OidcConfig } from "@/lib/auth/oidc-config";
import { parseRoleMap } from "@/lib/auth/oidc-config";

const config = (overrides: Partial<OidcConfig> = {}): OidcConfig => ({
  id: "oidc",
  name: "Okta",
  issuer: "https://acme.okta.com",
  clientId: "id",
  clientSecret: "secret",
  scope: "openid email profile",
  roleClaim: "groups",
  roleMap: parseRoleMap("support-managers=manager,it-admins=admin,boss@acme.com=admin"),
  defaultRole: "agent",
  allowedEmailDomains: ["acme.com"],
  ...overrides,
});

describe("resolveRole", () => {
  it("takes the highest mapped role, whatever the order of groups", () => {
    expect(resolveRole({ config: config(), claims: { groups: ["it-admins", "support-managers"] }, email: "a@acme.com" }).role).toBe("admin");
    expect(resolveRole({ config: config(), claims: { groups: ["support-managers", "everyone"] }, email: "a@acme.com" }).role).toBe("manager");
  });

  it("falls back to the default role, and maps an email address too", () => {
    expect(resolveRole({ config: config(), claims: { groups: ["everyone"] }, email: "a@acme.com" })).toEqual({ role: "agent", matched: [] });
    expect(resolveRole({ config: config(), claims: {}, email: "boss@acme.com" })).toEqual({ role: "admin", matched: ["boss@acme.com"] });
  });

  it("reads dotted claims (Keycloak realm roles) and single strings", () => {
    expect(readClaimValues({ realm_access: { roles: ["it-admins", 3] } }, "realm_access.roles")).toEqual(["it-admins"]);
    expect(readClaimValues({ role: "support-managers" }, "role")).toEqual(["support-managers"]);
    expect(readClaimValues({ groups: "x" }, "missing.path")).toEqual([]);
  });
});

describe("decideSignIn", () => {
  it("lets in a verified email of an allowed domain, with name and role", () => {
    expect(decideSignIn(config(), { sub: "1", email: "Mia@ACME.com", email_verified: true, name: "Mia", groups: ["support-managers"] })).toEqual({
      ok: true,
      email: "mia@acme.com",
      name: "Mia",
      role: "manager",
      matched: ["support-managers"],
    });
  });

  it("refuses another domain, an unverified email, a missing email", () => {
    expect(decideSignIn(config(), { email: "eve@evil.example", email_verified: true })).toMatchObject({ ok: false, reason: "domain", domain: "evil.example" });
    expect(decideSignIn(config(), { email: "eve@acme.com", email_verified: false })).toMatchObject({ ok: false, reason: "email_unverified" });
    expect(decideSignIn(config(), { sub: "1" })).toMatchObject({ ok: false, reason: "no_email" });
    // A look-alike subdomain is another domain.
    expect(decideSignIn(config(), { email: "eve@acme.com.evil.example" })).toMatchObject({ ok: false, reason: "domain" });
  });

  it("allows any domain when none are listed", () => {
    expect(decideSignIn(config({ allowedEmailDomains: [] }), { email: "x@anywhere.example" })).toMatchObject({ ok: true, role: "agent" });
  });

  it("checks Google Workspace's hosted domain claim", () => {
    const google = config({ hostedDomain: "acme.com", allowedEmailDomains: [] });
    expect(decideSignIn(google, { email: "a@gmail.com", email_verified: true })).toMatchObject({ ok: false, reason: "hosted_domain" });
    expect(decideSignIn(google, { email: "a@acme.com", email_verified: true, hd: "acme.com" })).toMatchObject({ ok: true });
  });
});
