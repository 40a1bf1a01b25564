import "server-only";
import { eq } from "drizzle-orm";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { recordAudit } from "@/lib/audit/record-audit";
import { decideSignIn, type Claims } from "@/lib/auth/decide-sign-in";
import { listOidcConfigs } from "@/lib/auth/oidc-config";
import { buildOidcProvider } from "@/lib/auth/build-oidc-provider";
import { recordSsoSignIn } from "@/lib/auth/record-sign-in";
import { ROLES, type Role } from "@/lib/auth/roles";
import { getDb } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { isDemoMode, readEnv } from "@/lib/env";

const demoSignInSchema = z.object({ email: z.email() });

/**
 * The demo sign-in: pick a seeded user, no password. It exists only while no SSO provider is
 * configured (isDemoMode), and start-up refuses non-loopback addresses in that mode.
 */
function demoProvider() {
  return CredentialsProvider({
    id: "demo",
    name: "Demo sign-in",
    credentials: { email: { label: "Email", type: "email" } },
    async authorize(credentials) {
      if (!isDemoMode()) return null;
      const parsed = demoSignInSchema.safeParse(credentials);
      if (!parsed.success) return null;
      const [user] = await getDb()
        .update(users)
        .set({ lastSignInAt: new Date() })
        .where(eq(users.email, parsed.data.email.toLowerCase()))
        .returning({ id: users.id, email: users.email, name: users.name, role: users.role });
      return user ?? null;
    },
  });
}

/** Where a refused SSO user lands: a page that says why, in words. */
function refusedUrl(base: string, reason: string, domain?: string) {
  const query = new URLSearchParams({ reason, ...(domain ? { domain } : {}) });
  return `${base}/signin/refused?${query}`;
}

/**
 * next-auth's configuration, built per request from the environment. `ip` (from the route
 * handler) goes into the audit log of sign-ins.
 */
export function getAuthOptions({ ip }: { ip?: string } = {}): NextAuthOptions {
  const env = readEnv();
  const demo = isDemoMode(env);
  const oidc = demo ? [] : listOidcConfigs(env);
  const baseUrl = (env.NEXTAUTH_URL ?? "").replace(/\/+$/, "");
  const secure = baseUrl.startsWith("https://");
  const providerIds = new Set(demo ? ["demo"] : oidc.map((c) => c.id));

  return {
    secret: env.NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    pages: { signIn: "/signin", error: "/signin" },
    // HttpOnly and SameSite=Lax are next-auth's defaults; Secure (and the __Secure- prefix)
    // follow the public URL, so that http://localhost keeps working in development.
    useSecureCookies: secure,
    providers: demo ? [demoProvider()] : oidc.map(buildOidcProvider),
    // One line per problem: next-auth's own logger prints stack traces and, for some errors, the
    // user's profile (personal data). A forged or stale cookie is worth a line, not a page.
    logger: {
      error: (code, metadata) => {
        const m = metadata as { message?: string; error?: { message?: string }; providerId?: string };
        const detail = metadata instanceof Error ? metadata.message : m?.error?.message || m?.message || "";
        console.error(`[next-auth] ${code}${m?.providerId ? ` (${m.providerId})` : ""}: ${detail}`);
      },
      warn: (code) => console.warn(`[next-auth] ${code}`),
      debug: () => {},
    },
    callbacks: {
      async signIn({ user, account, profile }) {
        if (!account) return false;
        if (account.provider === "demo") {
          if (!demo) return false;
          await recordAudit({ actor: { type: "user", id: user.id, email: user.email ?? "" }, action: "auth.sign_in", target: user.email ?? undefined, details: { provider: "demo" }, ip });
          return true;
        }
        const config = oidc.find((c) => c.id === account.provider);
        if (!config || !profile) return false;
        const decision = decideSignIn(config, profile as Claims);
        if (!decision.ok) {
          await recordAudit({ actor: { type: "anonymous", email: decision.email }, action: "auth.sign_in_refused", target: decision.email, details: { provider: config.id, reason: decision.reason }, ip });
          return refusedUrl(baseUrl, decision.reason, decision.domain);
        }
        const stored = await recordSsoSignIn({ user: decision, provider: config.id, matched: decision.matched, ip });
        // next-auth hands this same object to the jwt callback below.
        Object.assign(user, { id: stored.id, email: decision.email, name: decision.name, role: stored.role });
        return true;
      },
      jwt({ token, user, account }) {
        if (user) {
          token.uid = user.id;
          token.role = ROLES.includes(user.role as Role) ? (user.role as Role) : "agent";
          token.provider = account?.provider;
        }
        return token;
      },
      session({ session, token }) {
        // A session from a provider that is no longer configured (a demo session after SSO was
        // switched on with the same secret) is no session.
        if (!token.provider || !providerIds.has(token.provider)) {
          session.user = { id: "", email: "", name: "", role: "agent" };
          return session;
        }
        session.user = {
          id: token.uid ?? "",
          email: token.email ?? "",
          name: token.name ?? token.email ?? "",
          role: token.role ?? "agent",
        };
        return session;
      },
    },
  };
}
