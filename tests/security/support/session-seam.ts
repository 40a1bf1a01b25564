import { currentCookies, currentHeaders } from "./request-scope";

/**
 * Outside a Next.js server there is no request scope, so next/headers throws. The security tests
 * replace only that source: `next/headers` reads the current test request, and next-auth's
 * one-argument getServerSession (which requires next/headers itself, out of vi.mock's reach) is
 * routed to its own request-taking form. Everything after that is real: the session cookie is a
 * real next-auth JWT, decrypted with NEXTAUTH_SECRET by next-auth's own code, then our callbacks.
 *
 *   vi.mock("next/headers", async () => (await import("./support/session-seam")).nextHeaders);
 *   vi.mock("next-auth", async (original) => (await import("./support/session-seam")).withRequestSession(await original()));
 */
export const nextHeaders = {
  headers: async () => currentHeaders(),
  cookies: async () => {
    const jar = currentCookies();
    return {
      get: (name: string) => (name in jar ? { name, value: jar[name] } : undefined),
      getAll: () => Object.entries(jar).map(([name, value]) => ({ name, value })),
      has: (name: string) => name in jar,
    };
  },
};

type NextAuthModule = { getServerSession: (...args: unknown[]) => Promise<unknown> } & Record<string, unknown>;

export function withRequestSession<T extends NextAuthModule>(real: T): T {
  const noResponse = { getHeader() {}, setCookie() {}, setHeader() {} };
  return {
    ...real,
    getServerSession: (options: unknown) =>
      real.getServerSession({ headers: Object.fromEntries(currentHeaders()), cookies: currentCookies() }, noResponse, options),
  };
}
