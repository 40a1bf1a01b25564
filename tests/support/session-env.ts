import { randomBytes } from "node:crypto";
import { beforeAll, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";

/** The environment a signed-in request needs in a test: a next-auth secret and URL, demo sign-in only (no SSO). */
export function stubSessionEnv(secret: string) {
  vi.stubEnv("NEXTAUTH_SECRET", secret);
  vi.stubEnv("NEXTAUTH_URL", "http://localhost");
  vi.stubEnv("OIDC_ISSUER", "");
  vi.stubEnv("OIDC_PROVIDERS", "");
  resetEnvCache();
}

/** A fresh next-auth secret for this file, stubbed before its tests; returns it (to sign session cookies). */
export function useSessionEnv(): string {
  const secret = randomBytes(32).toString("base64url");
  beforeAll(() => stubSessionEnv(secret));
  return secret;
}
