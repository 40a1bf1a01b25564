/**
 * A real OpenID Provider for the SSO e2e tests (the `oidc-provider` package, certified by the
 * OpenID Foundation): discovery, JWKS, authorization code + PKCE, signed ID tokens. Playwright
 * starts it as a web server (playwright.config.ts). Its sign-in page is a plain form served here
 * (the package's development pages load web fonts from the internet, which this run must not).
 *
 *   E2E_OIDC_PORT=3403 E2E_SSO_PORT=3404 node --import tsx tests/e2e/support/oidc-server.ts
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import http from "node:http";
import Provider, { type KoaContextWithOIDC } from "oidc-provider";
import { OIDC_CLIENTS, OIDC_USERS } from "./sso-fixtures";

const port = Number(process.env.E2E_OIDC_PORT ?? 3403);
const appPort = Number(process.env.E2E_SSO_PORT ?? 3404);
const issuer = `http://localhost:${port}`;

const signingKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });

const provider = new Provider(issuer, {
  clients: OIDC_CLIENTS.map((client) => ({
    client_id: client.clientId,
    client_secret: client.clientSecret,
    redirect_uris: [`http://localhost:${appPort}/api/auth/callback/${client.providerId}`],
    grant_types: ["authorization_code"],
    response_types: ["code"],
    token_endpoint_auth_method: "client_secret_basic",
  })),
  jwks: { keys: [{ ...signingKey, use: "sig", alg: "RS256", kid: "e2e" }] as never },
  cookies: { keys: [randomBytes(32).toString("hex")] },
  scopes: ["openid", "email", "profile", "groups", "offline_access"],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
  // Like Okta and Entra ID with a groups claim configured: the claims ride in the ID token.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(_ctx, id) {
    const user = OIDC_USERS.find((u) => u.login === id);
    if (!user) return undefined;
    return {
      accountId: id,
      claims: async () => ({ sub: id, email: user.email, email_verified: true, name: user.name, groups: user.groups }),
    };
  },
  // Company apps are pre-approved by the IdP's admin: no consent screen.
  async loadExistingGrant(ctx: KoaContextWithOIDC) {
    const existing = ctx.oidc.result?.consent?.grantId || ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
    if (existing) return ctx.oidc.provider.Grant.find(existing);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId });
    grant.addOIDCScope("openid email profile groups");
    await grant.save();
    return grant;
  },
});

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(uid: string, error?: string) {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Acme SSO</title>
<style>body{font-family:system-ui,sans-serif;max-width:22rem;margin:4rem auto}label,input,button{display:block;width:100%;margin-top:.5rem}</style></head>
<body><h1>Acme SSO</h1>${error ? `<p role="alert">${escape(error)}</p>` : ""}
<form method="post" action="/interaction/${escape(uid)}/login">
<label>Username <input name="login" autocomplete="username" required autofocus></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in to Acme</button></form></body></html>`;
}

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

const oidcHandler = provider.callback();

const server = http.createServer(async (req, res) => {
  const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(req.url?.split("?")[0] ?? "");
  if (!match) return oidcHandler(req, res);
  try {
    const details = await provider.interactionDetails(req, res);
    if (req.method === "POST" && match[2]) {
      const form = await readForm(req);
      const user = OIDC_USERS.find((u) => u.login === form.get("login") && u.password === form.get("password"));
      if (!user) {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(loginPage(match[1]!, "Wrong username or password."));
        return;
      }
      await provider.interactionFinished(req, res, { login: { accountId: user.login } }, { mergeWithLastSubmission: false });
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }).end(loginPage(details.uid));
  } catch (error) {
    res.writeHead(400, { "content-type": "text/plain" }).end(`Interaction failed: ${(error as Error).message}`);
  }
});

server.listen(port, () => console.log(`OpenID Provider for e2e on ${issuer}`));
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.close(() => process.exit(0)));
