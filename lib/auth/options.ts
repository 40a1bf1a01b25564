import "server-only";
import { eq } from "drizzle-orm";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { isDemoMode, readEnv } from "@/lib/env";
import { ROLES, type Role } from "@/lib/auth/roles";

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

export function getAuthOptions(): NextAuthOptions {
  const env = readEnv();
  return {
    secret: env.NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    pages: { signIn: "/signin", error: "/signin" },
    providers: isDemoMode(env) ? [demoProvider()] : [],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          token.role = ROLES.includes(user.role as Role) ? (user.role as Role) : "agent";
        }
        return token;
      },
      session({ session, token }) {
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
