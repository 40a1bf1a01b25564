import "server-only";
import type { OAuthConfig } from "next-auth/providers/oauth";
import type { Claims } from "@/lib/auth/decide-sign-in";
import type { OidcConfig } from "@/lib/auth/oidc-config";

/**
 * next-auth's generic OAuth provider, speaking OpenID Connect: endpoints from the issuer's
 * discovery document, authorization code flow with PKCE and state, and the user's claims taken
 * from the verified ID token (signature, issuer, audience and expiry checked by openid-client).
 */
export function buildOidcProvider(config: OidcConfig): OAuthConfig<Claims> {
  return {
    id: config.id,
    name: config.name,
    type: "oauth",
    wellKnown: `${config.issuer}/.well-known/openid-configuration`,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    authorization: { params: { scope: config.scope, ...(config.hostedDomain ? { hd: config.hostedDomain } : {}) } },
    checks: ["pkce", "state"],
    idToken: true,
    httpOptions: { timeout: 10_000 },
    profile(claims) {
      return {
        id: String(claims.sub),
        email: typeof claims.email === "string" ? claims.email : null,
        name: typeof claims.name === "string" ? claims.name : null,
      };
    },
  };
}
