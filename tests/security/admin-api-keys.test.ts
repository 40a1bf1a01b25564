import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApiKeyAction, revokeApiKeyAction } from "@/app/admin/api-keys/actions";
import { listApiKeys } from "@/lib/api-keys/list-api-keys";
import { verifyApiKey } from "@/lib/api-keys/verify-api-key";
import { getDb } from "@/lib/db/client";
import { apiKeys, auditLog } from "@/lib/db/schema";
import { resetEnvCache } from "@/lib/env";
import { createUser, unique } from "../support/factories";
import { withRequestHeaders } from "./support/request-scope";
import { sessionCookie } from "./support/sessions";

vi.mock("next/headers", async () => (await import("./support/session-seam")).nextHeaders);
vi.mock("next-auth", async (original) => (await import("./support/session-seam")).withRequestSession(await original()));

const SECRET = randomBytes(32).toString("base64url");
let admin: Headers;
let adminEmail: string;

beforeAll(async () => {
  vi.stubEnv("NEXTAUTH_SECRET", SECRET);
  vi.stubEnv("OIDC_ISSUER", "");
  resetEnvCache();
  const user = await createUser("admin");
  adminEmail = user.email;
  admin = new Headers({ cookie: await sessionCookie(user, SECRET), "x-forwarded-for": "192.0.2.7" });
});

afterAll(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});

describe("API keys in the admin area", () => {
  it("create returns the key once, stores only its hash, lists the prefix only, and audits it with the admin and address", async () => {
    const name = unique("zendesk");
    const created = await withRequestHeaders(admin, () => createApiKeyAction({ name, scopes: ["feedback:write", "suggest"] }));
    if (!created.ok) throw new Error(created.message);
    expect((await verifyApiKey(`Bearer ${created.key}`, "suggest")).ok).toBe(true);
    const [stored] = await getDb().select().from(apiKeys).where(eq(apiKeys.prefix, created.prefix));
    expect(JSON.stringify(stored)).not.toContain(created.key);
    const listed = (await listApiKeys()).find((k) => k.prefix === created.prefix)!;
    expect(Object.keys(listed)).not.toContain("keyHash");
    expect(JSON.stringify(listed)).not.toContain(created.key.slice(created.prefix.length + 1));
    const [entry] = await getDb().select().from(auditLog).where(eq(auditLog.target, created.prefix));
    expect(entry).toMatchObject({ actorType: "user", actorEmail: adminEmail, action: "api_key.create", ip: "192.0.2.7", details: { name, scopes: ["feedback:write", "suggest"] } });
  });

  it("revoke stops the key at once, is audited, and a second revoke says it is already revoked", async () => {
    const created = await withRequestHeaders(admin, () => createApiKeyAction({ name: unique("intercom"), scopes: ["feedback:write"] }));
    if (!created.ok) throw new Error(created.message);
    const id = (await listApiKeys()).find((k) => k.prefix === created.prefix)!.id;
    expect(await withRequestHeaders(admin, () => revokeApiKeyAction({ id }))).toEqual({ ok: true, prefix: created.prefix });
    expect((await verifyApiKey(`Bearer ${created.key}`, "feedback:write")).ok).toBe(false);
    expect(await withRequestHeaders(admin, () => revokeApiKeyAction({ id }))).toMatchObject({ ok: false, code: "not_found", message: expect.stringContaining("already revoked") });
    const actions = (await getDb().select().from(auditLog).where(eq(auditLog.target, created.prefix))).map((e) => e.action).sort();
    expect(actions).toEqual(["api_key.create", "api_key.revoke"]);
  });

  it("explains bad input field by field", async () => {
    expect(await withRequestHeaders(admin, () => createApiKeyAction({ name: " ", scopes: ["everything"] }))).toMatchObject({
      ok: false,
      code: "invalid_request",
      fieldErrors: { name: "name must not be empty", scopes: expect.stringContaining("feedback:write") },
    });
  });
});
