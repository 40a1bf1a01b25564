import NextAuth from "next-auth";
import { clientIp } from "@/lib/api/client-ip";
import { getAuthOptions } from "@/lib/auth/options";
import { limitSignInAttempts } from "@/lib/auth/limit-sign-in-attempts";

type Context = { params: Promise<{ nextauth: string[] }> };

// Options are built per request so that configuration is read at run time, not at build time.
async function handler(request: Request, context: Context) {
  const refused = await limitSignInAttempts(request);
  if (refused) return refused;
  return NextAuth(request as never, context as never, getAuthOptions({ ip: clientIp(request.headers) }));
}

export { handler as GET, handler as POST };
