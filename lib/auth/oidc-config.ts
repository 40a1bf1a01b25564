import "server-only";
import { z } from "zod";
import { ROLES, type Role } from "@/lib/auth/roles";
import type { Env } from "@/lib/env";

/** One configured OpenID Connect provider, after defaults from the global settings are applied. */
export type OidcConfig = {
  id: string;
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  scope: string;
  roleClaim: string;
  /** claim value (group name, app role, or an email address) → role */
  roleMap: Map<string, Role>;
  defaultRole: Role;
  /** lower-case domains; empty = any domain */
  allowedEmailDomains: string[];
  hostedDomain?: string;
};

const RESERVED_IDS = new Set(["demo", "credentials", "email"]);

const extraProviderSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]{2,32}$/, "id must be 2-32 characters a-z, 0-9 or -"),
  name: z.string().min(1).max(60),
  issuer: z.url(),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  scope: z.string().optional(),
  roleClaim: z.string().optional(),
  roleMap: z.string().optional(),
  allowedEmailDomains: z.string().optional(),
  hostedDomain: z.string().optional(),
});

/** `support-managers=manager,it-admins=admin` → Map. Says exactly which entry is wrong. */
export function parseRoleMap(text: string, variable = "ROLE_MAP"): Map<string, Role> {
  const map = new Map<string, Role>();
  for (const entry of text.split(",").map((e) => e.trim()).filter(Boolean)) {
    const at = entry.lastIndexOf("=");
    const value = entry.slice(0, at).trim();
    const role = entry.slice(at + 1).trim() as Role;
    if (at <= 0 || !value || !ROLES.includes(role)) {
      throw new Error(`${variable}: "${entry}" must look like value=role with role one of ${ROLES.join(", ")}.`);
    }
    map.set(value, role);
  }
  return map;
}

export function parseDomains(text: string): string[] {
  return text
    .split(",")
    .map((d) => d.trim().toLowerCase().replace(/^@/, ""))
    .filter(Boolean);
}

function trimIssuer(issuer: string) {
  return issuer.replace(/\/+$/, "");
}

/**
 * Every configured provider: the first from OIDC_* variables, more from OIDC_PROVIDERS (JSON).
 * Missing pieces are configuration errors that name the variable, so `npm start` can refuse early.
 */
export function listOidcConfigs(env: Env): OidcConfig[] {
  const globalMap = parseRoleMap(env.ROLE_MAP);
  const globalDomains = parseDomains(env.ALLOWED_EMAIL_DOMAINS);
  const configs: OidcConfig[] = [];

  if (env.OIDC_ISSUER) {
    if (!env.OIDC_CLIENT_ID || !env.OIDC_CLIENT_SECRET) {
      throw new Error("OIDC_ISSUER is set, so OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are required too (from your identity provider's app registration).");
    }
    configs.push({
      id: env.OIDC_ID,
      name: env.OIDC_NAME,
      issuer: trimIssuer(env.OIDC_ISSUER),
      clientId: env.OIDC_CLIENT_ID,
      clientSecret: env.OIDC_CLIENT_SECRET,
      scope: env.OIDC_SCOPE,
      roleClaim: env.OIDC_ROLE_CLAIM,
      roleMap: globalMap,
      defaultRole: env.DEFAULT_ROLE,
      allowedEmailDomains: globalDomains,
      hostedDomain: env.OIDC_HOSTED_DOMAIN?.toLowerCase(),
    });
  }

  if (env.OIDC_PROVIDERS?.trim()) {
    let json: unknown;
    try {
      json = JSON.parse(env.OIDC_PROVIDERS);
    } catch {
      throw new Error("OIDC_PROVIDERS must be a JSON array of providers; it is not valid JSON.");
    }
    const parsed = z.array(extraProviderSchema).min(1, "list at least one provider").safeParse(json);
    if (!parsed.success) {
      const lines = parsed.error.issues.map((i) => `  OIDC_PROVIDERS[${i.path.join(".")}]: ${i.message}`);
      throw new Error(`OIDC_PROVIDERS is invalid:\n${lines.join("\n")}`);
    }
    for (const [index, p] of parsed.data.entries()) {
      configs.push({
        id: p.id,
        name: p.name,
        issuer: trimIssuer(p.issuer),
        clientId: p.clientId,
        clientSecret: p.clientSecret,
        scope: p.scope ?? env.OIDC_SCOPE,
        roleClaim: p.roleClaim ?? env.OIDC_ROLE_CLAIM,
        roleMap: p.roleMap === undefined ? globalMap : parseRoleMap(p.roleMap, `OIDC_PROVIDERS[${index}].roleMap`),
        defaultRole: env.DEFAULT_ROLE,
        allowedEmailDomains: p.allowedEmailDomains === undefined ? globalDomains : parseDomains(p.allowedEmailDomains),
        hostedDomain: p.hostedDomain?.toLowerCase(),
      });
    }
  }

  const seen = new Set<string>();
  for (const c of configs) {
    if (RESERVED_IDS.has(c.id)) throw new Error(`OIDC provider id "${c.id}" is reserved; pick another (OIDC_ID or OIDC_PROVIDERS[].id).`);
    if (seen.has(c.id)) throw new Error(`Two OIDC providers have the id "${c.id}"; each needs its own (OIDC_ID or OIDC_PROVIDERS[].id).`);
    seen.add(c.id);
  }
  return configs;
}
