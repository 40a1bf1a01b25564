import { afterEach, describe, expect, it, vi } from "vitest";
import { isDemoMode, readEnv, resetEnvCache } from "@/lib/env";

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});

describe("readEnv", () => {
  it("applies the documented defaults and treats empty variables as unset", () => {
    vi.stubEnv("DATABASE_URL", "");
    vi.stubEnv("PORT", "");
    vi.stubEnv("HOST", "");
    vi.stubEnv("OIDC_ISSUER", "");
    resetEnvCache();
    const env = readEnv();
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.PORT).toBe(3000);
    expect(env.HOST).toBe("127.0.0.1");
    expect(isDemoMode(env)).toBe(true);
  });

  it("names the variable to fix", () => {
    vi.stubEnv("PORT", "eighty");
    resetEnvCache();
    expect(() => readEnv()).toThrow(/PORT/);
  });

  it("leaves demo mode when an OIDC issuer is configured", () => {
    vi.stubEnv("OIDC_ISSUER", "https://sso.example.com");
    resetEnvCache();
    expect(isDemoMode()).toBe(false);
  });
});
