import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { saveRetrainSettingAction } from "@/app/retrain/actions";
import { GET as cronRetrain } from "@/app/api/cron/retrain/route";
import { getPool } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/env";
import { resolveRetrainConfig } from "@/lib/retrain/resolve-retrain-config";
import { runRetrainCli } from "@/lib/retrain/run-retrain-cli";
import { fingerprintDatabase } from "../security/support/isolated-database";
import { withRequestHeaders } from "../security/support/request-scope";
import { sessionCookie } from "../security/support/sessions";
import { createUser } from "../support/factories";
import { useOwnDatabase } from "../support/own-database";
import { stubSessionEnv, useSessionEnv } from "../support/session-env";
import { storeQuestionReplays, uniqueQuestion } from "../support/training-factories";

vi.mock("next/headers", async () => (await import("../security/support/session-seam")).nextHeaders);
vi.mock("next-auth", async (original) => (await import("../security/support/session-seam")).withRequestSession(await original()));
vi.mock("next/cache", async (original) => ({ ...(await original<Record<string, unknown>>()), revalidatePath: () => {} }));

/**
 * A manager's choice of target and method on /retrain overrides the environment for the page, the
 * cron route and the CLI. Its own database: the setting is one row for the whole database, and
 * the other files' retrains must not pick it up.
 */
useOwnDatabase("retrain_settings");
const SECRET = useSessionEnv();
const CRON_SECRET = randomBytes(24).toString("base64url");
afterEach(() => {
  vi.unstubAllEnvs();
  stubSessionEnv(SECRET);
});

async function asManager() {
  const user = await createUser("manager");
  const cookie = await sessionCookie({ id: user.id, email: user.email, name: user.name ?? "Test", role: "manager" }, SECRET);
  return { user, save: (input: unknown) => withRequestHeaders(new Headers({ cookie }), () => saveRetrainSettingAction(input)) };
}

async function auditOf(actorId: string) {
  const { rows } = await getPool().query("SELECT action, target, details FROM audit_log WHERE actor_id = $1 AND action = 'retrain.settings' ORDER BY created_at, id", [actorId]);
  return rows;
}

describe("choosing the fine-tune target on /retrain", () => {
  it("a configured target and its method are stored, audited, and in force over the environment", async () => {
    vi.stubEnv("TOGETHER_API_KEY", "together-test-key");
    resetEnvCache();
    expect((await resolveRetrainConfig()).source).toEqual({ kind: "configuration" });
    const { user, save } = await asManager();

    expect(await save({ use: "page", target: "together", method: "dpo", baseModel: "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference" })).toEqual({
      ok: true,
      message: "From the next run on: Together AI, DPO of meta-llama/Meta-Llama-3.1-8B-Instruct-Reference.",
    });
    const resolved = await resolveRetrainConfig();
    expect(resolved.config).toMatchObject({ target: "together", method: "dpo", baseModel: "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference" });
    expect(resolved.source).toMatchObject({ kind: "page", updatedByEmail: user.email, baseModelChosen: true });
    expect(resolved.configured).toMatchObject({ target: "local", method: "sft" });
    expect(await auditOf(user.id)).toEqual([
      { action: "retrain.settings", target: "together", details: { use: "page", target: "together", method: "dpo", baseModel: "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference", previous: null } },
    ]);

    expect(await save({ use: "configuration" })).toMatchObject({ ok: true });
    expect((await resolveRetrainConfig()).config).toMatchObject({ target: "local", method: "sft" });
    expect((await auditOf(user.id)).map((r) => r.details)).toEqual([
      expect.objectContaining({ target: "together" }),
      { use: "configuration", previous: { target: "together", method: "dpo" } },
    ]);
  });

  it("refuses a target whose variables are unset (naming them), a method it does not train, and bad input, storing nothing", async () => {
    const { save } = await asManager();
    const before = await fingerprintDatabase();
    const fireworks = await save({ use: "page", target: "fireworks", method: "sft" });
    expect(fireworks).toMatchObject({ ok: false, code: "target_not_configured" });
    expect(fireworks.message).toMatch(/Fireworks AI is not configured on this server: set FIREWORKS_API_KEY and FIREWORKS_ACCOUNT_ID/);
    expect(await save({ use: "page", target: "local", method: "dpo" })).toMatchObject({ ok: false, code: "invalid_method", message: "Local learned model does not train DPO; choose SFT." });
    expect(await save({ use: "page", target: "everywhere", method: "sft" })).toMatchObject({ ok: false, code: "invalid_input" });
    expect(await save({ use: "page", target: "manual", method: "sft", baseModel: "two words" })).toMatchObject({ ok: false, code: "invalid_input" });
    expect(await save("manual")).toMatchObject({ ok: false, code: "invalid_input" });
    expect(await fingerprintDatabase()).toEqual(before);
  });

  it("the weekly job (cron route) and the CLI use the target chosen on the page", async () => {
    await storeQuestionReplays({ question: uniqueQuestion(), no: 8 });
    const { save } = await asManager();
    expect(await save({ use: "page", target: "manual", method: "dpo" })).toMatchObject({ ok: true });

    const dry = await runRetrainCli({ dryRun: true });
    expect(dry.lines[0]).toMatch(/target manual\); nothing was written/);
    expect(dry.lines.join("\n")).toMatch(/candidate preference pairs before hygiene/);

    vi.stubEnv("CRON_SECRET", CRON_SECRET);
    resetEnvCache();
    const response = await cronRetrain(new Request("http://localhost/api/cron/retrain", { headers: { authorization: `Bearer ${CRON_SECRET}` } }));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.run).toMatchObject({ target: "manual", mode: "review" });
    const { rows } = await getPool().query("SELECT target, method FROM retrain_runs WHERE id = $1", [body.run.id]);
    expect(rows[0]).toEqual({ target: "manual", method: "dpo" });
  });
});
