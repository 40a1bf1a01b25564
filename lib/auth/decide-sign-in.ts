import { hasRole, type Role } from "@/lib/auth/roles";
import type { OidcConfig } from "@/lib/auth/oidc-config";

export type Claims = Record<string, unknown>;

export type SignInDecision =
  | { ok: true; email: string; name: string; role: Role; matched: string[] }
  | { ok: false; reason: "no_email" | "email_unverified" | "domain" | "hosted_domain"; email?: string; domain?: string };

/** `groups`, or a dotted path such as Keycloak's `realm_access.roles`; a string or a list of strings. */
export function readClaimValues(claims: Claims, path: string): string[] {
  let value: unknown = claims;
  for (const part of path.split(".")) {
    value = value && typeof value === "object" ? (value as Record<string, unknown>)[part] : undefined;
  }
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return [];
}

/**
 * The role of a signing-in user: the highest role that any of their claim values maps to (their
 * email address may be mapped too, e.g. for Google accounts that carry no groups); otherwise
 * the default. Evaluated on every sign-in, so the identity provider stays the source of truth.
 */
export function resolveRole({ config, claims, email }: { config: OidcConfig; claims: Claims; email: string }) {
  const values = [...readClaimValues(claims, config.roleClaim), email];
  let role: Role | undefined;
  const matched: string[] = [];
  for (const value of values) {
    const mapped = config.roleMap.get(value);
    if (!mapped) continue;
    matched.push(value);
    if (!role || hasRole(mapped, role)) role = mapped;
  }
  return { role: role ?? config.defaultRole, matched };
}

/** Who may come in, from the ID token's claims: a verified email of an allowed domain. */
export function decideSignIn(config: OidcConfig, claims: Claims): SignInDecision {
  const rawEmail = typeof claims.email === "string" ? claims.email.trim().toLowerCase() : "";
  if (!rawEmail.includes("@")) return { ok: false, reason: "no_email" };
  const domain = rawEmail.slice(rawEmail.lastIndexOf("@") + 1);
  // Absent (Entra ID does not send it) is accepted; an explicit false is not.
  if (claims.email_verified === false || claims.email_verified === "false") {
    return { ok: false, reason: "email_unverified", email: rawEmail, domain };
  }
  if (config.hostedDomain && String(claims.hd ?? "").toLowerCase() !== config.hostedDomain) {
    return { ok: false, reason: "hosted_domain", email: rawEmail, domain };
  }
  if (config.allowedEmailDomains.length > 0 && !config.allowedEmailDomains.includes(domain)) {
    return { ok: false, reason: "domain", email: rawEmail, domain };
  }
  const name =
    [claims.name, claims.preferred_username, [claims.given_name, claims.family_name].filter(Boolean).join(" ")]
      .find((v): v is string => typeof v === "string" && v.trim().length > 0)
      ?.trim()
      .slice(0, 200) ?? rawEmail;
  const { role, matched } = resolveRole({ config, claims, email: rawEmail });
  return { ok: true, email: rawEmail, name, role, matched };
}
