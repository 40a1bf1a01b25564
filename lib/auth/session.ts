import "server-only";
import { getServerSession, type Session } from "next-auth";
import { redirect } from "next/navigation";
import { getAuthOptions } from "@/lib/auth/options";
import { hasRole, type Role } from "@/lib/auth/roles";
import { UserError } from "@/lib/errors";

export type SessionUser = Session["user"];

export async function getSessionUser(): Promise<SessionUser | null> {
  const session = await getServerSession(getAuthOptions());
  return session?.user?.id ? session.user : null;
}

/** For pages: sends the signed-out to sign-in and the wrong role to a refusal page. */
export async function requirePageUser(role: Role = "agent"): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect("/signin");
  if (!hasRole(user.role, role)) redirect("/forbidden");
  return user;
}

/** For server actions and route handlers: every one checks its caller itself. */
export async function requireUser(role: Role = "agent"): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) throw new UserError({ code: "unauthenticated", status: 401, message: "Your session has ended. Sign in again; your reply is kept in this browser." });
  if (!hasRole(user.role, role)) throw new UserError({ code: "forbidden", status: 403, message: `This needs the ${role} role.` });
  return user;
}
