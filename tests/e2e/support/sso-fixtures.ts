/**
 * The SSO e2e world: users of the test OpenID Provider (tests/e2e/support/oidc-server.ts) and the
 * app's clients registered there. playwright.config.ts passes the same values to the app.
 */
export const OIDC_USERS = [
  { login: "ava", password: "ava-pass", email: "ava@acme.test", name: "Ava Agent", groups: ["staff"] },
  { login: "mia", password: "mia-pass", email: "mia@acme.test", name: "Mia Manager", groups: ["staff", "support-managers"] },
  { login: "oscar", password: "oscar-pass", email: "oscar@acme.test", name: "Oscar Admin", groups: ["staff", "it-admins"] },
  { login: "eve", password: "eve-pass", email: "eve@other.test", name: "Eve Outsider", groups: ["it-admins"] },
] as const;

export const OIDC_CLIENTS = [
  { providerId: "oidc", name: "Acme SSO", clientId: "feedback-replay-e2e", clientSecret: "e2e-client-secret-1" },
  { providerId: "contractors", name: "Contractor SSO", clientId: "feedback-replay-e2e-2", clientSecret: "e2e-client-secret-2" },
] as const;

export const SSO_ROLE_MAP = "support-managers=manager,it-admins=admin";
export const SSO_ALLOWED_DOMAINS = "acme.test";
