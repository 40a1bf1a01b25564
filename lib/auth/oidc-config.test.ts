import { describe, expect, it } from "vitest";
import { listOidcConfigs, parseRoleMap } from "@/lib/auth/oidc-config";
import type { Env } from "@/lib/env";

const base = {
  OIDC_ID: "oidc",
  OIDC_NAME: "Company SSO",
  OIDC_SCOPE: "openid email profile",
  OIDC_ROLE_CLAIM: "groups",
  ROLE_MAP: "support-managers=manager",
  DEFAULT_ROLE: "agent",
  ALLOWED_EMAIL_DOMAINS: "acme.com, @Acme.co.uk",
} as Env;

describe("listOidcConfigs", () => {
  it("is empty without an issuer (demo mode)", () => {
    expect(listOidcConfigs(base)).toEqual([]);
  });

  it("needs only the three variables; the rest has defaults", () => {
    const [config] = listOidcConfigs({ ...base, OIDC_ISSUER: "https://idp.example/realms/acme/", OIDC_CLIENT_ID: "app", OIDC_CLIENT_SECRET: "s" });
    expect(config).toMatchObject({ id: "oidc", issuer: "https://idp.example/realms/acme", roleClaim: "groups", allowedEmailDomains: ["acme.com", "acme.co.uk"] });
    expect(config!.roleMap.get("support-managers")).toBe("manager");
  });

  it("explains a missing client id or secret", () => {
    expect(() => listOidcConfigs({ ...base, OIDC_ISSUER: "https://idp.example" })).toThrow(/OIDC_CLIENT_ID and OIDC_CLIENT_SECRET/);
  });

  it("adds providers from OIDC_PROVIDERS, with their own role mapping, and refuses duplicates", () => {
    const providers = JSON.stringify([
      { id: "google", name: "Google", issuer: "https://accounts.google.com", clientId: "g", clientSecret: "gs", roleClaim: "email", roleMap: "boss@acme.com=admin", hostedDomain: "acme.com" },
    ]);
    const configs = listOidcConfigs({ ...base, OIDC_ISSUER: "https://idp.example", OIDC_CLIENT_ID: "a", OIDC_CLIENT_SECRET: "b", OIDC_PROVIDERS: providers });
    expect(configs.map((c) => c.id)).toEqual(["oidc", "google"]);
    expect(configs[1]).toMatchObject({ roleClaim: "email", hostedDomain: "acme.com", allowedEmailDomains: ["acme.com", "acme.co.uk"] });
    expect(configs[1]!.roleMap.get("boss@acme.com")).toBe("admin");
    const dup = JSON.stringify([{ id: "oidc", name: "x", issuer: "https://x.example", clientId: "a", clientSecret: "b" }]);
    expect(() => listOidcConfigs({ ...base, OIDC_ISSUER: "https://idp.example", OIDC_CLIENT_ID: "a", OIDC_CLIENT_SECRET: "b", OIDC_PROVIDERS: dup })).toThrow(/Two OIDC providers/);
  });

  it("names the wrong field of OIDC_PROVIDERS and refuses the reserved id demo", () => {
    expect(() => listOidcConfigs({ ...base, OIDC_PROVIDERS: '[{"id":"x1","name":"X"}]' })).toThrow(/OIDC_PROVIDERS\[0\.issuer\]/);
    expect(() => listOidcConfigs({ ...base, OIDC_PROVIDERS: "{oops" })).toThrow(/not valid JSON/);
    const demo = JSON.stringify([{ id: "demo", name: "x", issuer: "https://x.example", clientId: "a", clientSecret: "b" }]);
    expect(() => listOidcConfigs({ ...base, OIDC_PROVIDERS: demo })).toThrow(/reserved/);
  });
});

describe("parseRoleMap", () => {
  it("says which entry is wrong", () => {
    expect(() => parseRoleMap("support-managers=boss")).toThrow(/"support-managers=boss" must look like value=role/);
    expect(() => parseRoleMap("=admin")).toThrow(/must look like/);
    expect([...parseRoleMap(" a=agent , b=admin ,")]).toEqual([["a", "agent"], ["b", "admin"]]);
  });
});
