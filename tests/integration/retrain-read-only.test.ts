import { describe, expect, it, vi } from "vitest";
import RetrainPage from "@/app/retrain/page";
import { getPool } from "@/lib/db/client";
import { hashPrompt } from "@/lib/feedback/normalize-prompt";
import { groupingSettled } from "@/lib/meaning/schedule-grouping";
import { estimateNextFineTune } from "@/lib/retrain/estimate-next-fine-tune";
import { readRetrainConfig } from "@/lib/retrain/read-retrain-config";
import { describeOutcome } from "@/lib/retrain/run-retrain-cli";
import { runRetrain } from "@/lib/retrain/run-retrain";
import { fingerprintDatabase } from "../security/support/isolated-database";
import { withRequestHeaders } from "../security/support/request-scope";
import { sessionCookie } from "../security/support/sessions";
import { createUser } from "../support/factories";
import { useOwnDatabase } from "../support/own-database";
import { useSessionEnv } from "../support/session-env";
import { randomWords, storeQuestionReplays, uniqueQuestion } from "../support/training-factories";

vi.mock("next/headers", async () => (await import("../security/support/session-seam")).nextHeaders);
vi.mock("next-auth", async (original) => (await import("../security/support/session-seam")).withRequestSession(await original()));

/**
 * Viewing /retrain, its estimate and the CLI's dry run count on the prompt grouping as stored: they
 * group nothing (that belongs to ingest and the job) and write nothing. Its own database: replays
 * left ungrouped on purpose would be grouped by the other files' processes otherwise.
 */
useOwnDatabase("retrain_read_only");
const SECRET = useSessionEnv();
const since = new Date(Date.now() - 3_600_000);

/**
 * Eight grouped "not useful" of one question (the engine may keep one wording apart: still over
 * the threshold of 5), then three more of it that the grouping has not placed yet.
 */
async function groupedAndWaiting() {
  const question = uniqueQuestion();
  await storeQuestionReplays({ question, no: 8 });
  await groupingSettled();
  const messages = [0, 1, 2].map((i) => question.variant(i));
  const { rows } = await getPool().query<{ id: string }>(
    `INSERT INTO feedback_replay_log (message, ai_reply, agent_reply, feedback, status, submitted_at, prompt_hash)
     SELECT m, 'Please wait.', 'Reply ' || r, 'no', 'submitted', now(), h FROM unnest($1::text[], $2::text[], $3::text[]) AS w(m, h, r) RETURNING id`,
    [messages, messages.map(hashPrompt), messages.map(() => randomWords(6))],
  );
  return rows.map((r) => r.id);
}

describe("/retrain reads the grouping as stored", () => {
  it("viewing the page, its estimate and a dry run leave the database exactly as it was", async () => {
    const waiting = await groupedAndWaiting();
    const user = await createUser("manager");
    const cookie = await sessionCookie({ id: user.id, email: user.email, name: user.name ?? "Test", role: "manager" }, SECRET);
    const before = await fingerprintDatabase();

    const page = await withRequestHeaders(new Headers({ cookie }), () => RetrainPage());
    expect(page).toBeTruthy();
    const estimate = await estimateNextFineTune({ config: readRetrainConfig(), since, threshold: 5 });
    const dry = await runRetrain({ trigger: "cli", dryRun: true, since, threshold: 5, config: readRetrainConfig() });

    expect(await fingerprintDatabase()).toEqual(before);
    // The grouped question counts; the three waiting replays are reported, not grouped.
    expect(estimate.worstPrompts).toBe(1);
    expect(estimate.grouping.waiting).toBe(3);
    expect(estimate.grouping.lastGroupedAt).toBeInstanceOf(Date);
    const { rows } = await getPool().query("SELECT count(*)::int AS n FROM feedback_replay_log WHERE id = ANY($1::uuid[]) AND prompt_group_id IS NULL", [waiting]);
    expect(rows[0].n).toBe(3);
    expect(describeOutcome(dry).join("\n")).toMatch(/3 newer replays not grouped yet, the run groups them first/);
  });

  it("a DPO estimate counts preference pairs, and a provider without a configured price shows none", async () => {
    const config = { ...readRetrainConfig(), target: "together" as const, method: "dpo" as const, prices: { local: 0, fireworks: 0.5 } };
    const dry = await runRetrain({ trigger: "cli", dryRun: true, since, threshold: 5, config });
    if (dry.status !== "dry-run") throw new Error(dry.status);
    expect(dry.estimate.unit).toBe("preference pairs");
    const lines = describeOutcome(dry);
    expect(lines.join("\n")).toMatch(/candidate preference pairs before hygiene: \d+/);
    expect(lines.join("\n")).not.toMatch(/\bexamples\b/);
    expect(lines.find((l) => l.includes("Together AI"))).toMatch(/price not configured: set FINE_TUNE_PRICES=together=<USD per 1M tokens>; minimum 1 preference pairs/);
    expect(lines.find((l) => l.includes("Fireworks AI"))).toMatch(/0\.5 USD \/ 1M tokens; minimum 3 preference pairs/);
    expect(dry.estimate.targets.find((t) => t.target === "openai")).toMatchObject({ pricePerMillion: null, usd: null });
  });
});
