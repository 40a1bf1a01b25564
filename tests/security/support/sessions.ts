import { randomBytes } from "node:crypto";
import { encode } from "next-auth/jwt";
import type { Role } from "@/lib/auth/roles";

export const SESSION_COOKIE = "next-auth.session-token";

/** A real next-auth session cookie, as the sign-in callback would set it. */
export async function sessionCookie(
  user: { id: string; email: string; name: string; role: Role },
  secret: string,
  provider = "demo",
): Promise<string> {
  const token = await encode({
    secret,
    maxAge: 3600,
    token: { sub: user.id, uid: user.id, email: user.email, name: user.name, role: user.role, provider },
  });
  return `${SESSION_COOKIE}=${token}`;
}

/** The same claims (claiming admin) signed with a secret the server does not have. */
export async function forgedSessionCookie(user: { id: string; email: string; name: string }): Promise<string> {
  return sessionCookie({ ...user, role: "admin" }, randomBytes(32).toString("base64url"));
}
