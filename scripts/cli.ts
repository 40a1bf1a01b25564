/**
 * `npm run cli -- <command>`. Works beside a running app: in embedded mode it joins the app's
 * database (or starts it, and stops it again when the command ends).
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { listApiKeys } from "@/lib/api-keys/list-api-keys";
import { revokeApiKey } from "@/lib/api-keys/revoke-api-key";
import { AI_CLI_USAGE, runAiCommand } from "@/lib/ai/run-ai-command";
import { apiScopeSchema } from "@/lib/api-keys/schemas";
import { closeDb } from "@/lib/db/client";
import { prepareDatabase } from "@/lib/db/prepare-database";
import { seedDemo } from "@/lib/demo/seed-demo";
import { rebuildAnalytics } from "@/lib/analytics/rebuild-analytics";
import { seedBench } from "@/lib/analytics/seed-bench";
import { regroupReplays } from "@/lib/meaning/regroup-replays";
import { runTrainingCli, TRAINING_USAGE, TrainingUsageError } from "@/lib/training/run-training-cli";
import { RETRAIN_USAGE, runRetrainCli } from "@/lib/retrain/run-retrain-cli";
import { UserError } from "@/lib/errors";
import { IMPORT_USAGE, runImportCli } from "@/lib/integrations/import/run-import-cli";

const USAGE = `Usage: npm run cli -- <command>

  migrate                                      apply database migrations
  seed-demo                                    add demo users, replays and training examples
  api-key create --name NAME --scopes a,b      create an API key (printed once, as the last line)
        scopes: ${apiScopeSchema.options.join(", ")}
  api-key list                                 list keys (prefix only)
  api-key revoke <id-or-prefix>                revoke a key
  seed-bench --replays N [--weeks W]           add N synthetic replays over W weeks (default 52), for benchmarks
  analytics-rebuild                            recompute the dashboard's rollup (analytics_daily) from the replays
${TRAINING_USAGE}
${AI_CLI_USAGE}
${RETRAIN_USAGE}
${IMPORT_USAGE}`;

class UsageError extends Error {}

async function run(argv: string[]) {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: "string" },
      scopes: { type: "string" },
      replays: { type: "string" },
      weeks: { type: "string" },
      help: { type: "boolean", short: "h" },
      // training pipeline
      out: { type: "string" },
      split: { type: "string" },
      "worst-prompts": { type: "boolean" },
      days: { type: "string" },
      all: { type: "boolean" },
      // AI engine
      limit: { type: "string" },
      // weekly retrain
      "dry-run": { type: "boolean" },
      // history import (jsonl|csv), export and training validate (sft|dpo)
      format: { type: "string" },
      "no-group": { type: "boolean" },
    },
  });
  const [command, sub, arg] = positionals;
  if (!command || values.help) {
    console.log(USAGE);
    return;
  }
  const known = ["migrate", "seed-demo", "api-key", "seed-bench", "analytics-rebuild", "export", "training", "analyses", "models", "retrain", "import"];
  if (!known.includes(command)) throw new UsageError(`Unknown command "${command}".`);

  const database = await prepareDatabase();
  try {
    if (command === "migrate") {
      await regroupReplays();
      console.log("Migrations applied.");
    } else if (command === "analyses" || command === "models") {
      try {
        for (const line of await runAiCommand({ command, sub, arg, limit: values.limit })) console.log(line);
      } catch (error) {
        if (error instanceof UserError && error.code === "usage") throw new UsageError(error.message);
        throw error;
      }
    } else if (command === "seed-demo") {
      const seeded = await seedDemo();
      await regroupReplays();
      console.log(`Seeded ${seeded.replays} replays (${seeded.pending} pending in the queue).`);
    } else if (command === "seed-bench") {
      const replays = z.coerce.number().int().min(1).max(50_000_000).safeParse(values.replays);
      const weeks = z.coerce.number().int().min(1).max(520).default(52).safeParse(values.weeks);
      if (!replays.success) throw new UsageError("seed-bench needs --replays N (a whole number from 1 to 50,000,000).");
      if (!weeks.success) throw new UsageError("seed-bench --weeks must be a whole number from 1 to 520.");
      await seedBench({ replays: replays.data, weeks: weeks.data, log: console.log });
      console.log(`Added ${replays.data} synthetic replays over ${weeks.data} weeks.`);
    } else if (command === "analytics-rebuild") {
      const seconds = await rebuildAnalytics();
      console.log(`Rebuilt analytics_daily in ${seconds.toFixed(1)} s.`);
    } else if (command === "retrain") {
      const { lines, exitCode } = await runRetrainCli({ dryRun: Boolean(values["dry-run"]) });
      for (const line of lines) console.log(line);
      process.exitCode = exitCode;
    } else if (command === "import") {
      try {
        process.exitCode = await runImportCli({ file: sub, format: values.format, group: !values["no-group"] });
      } catch (error) {
        if (error instanceof UserError && error.code === "usage") throw new UsageError(error.message);
        throw error;
      }
    } else if (command === "export" || command === "training") {
      process.exitCode = await runTrainingCli({ command, sub, arg, values });
    } else if (sub === "create") {
      const scopes = z.array(apiScopeSchema).min(1).safeParse(values.scopes?.split(",").map((s) => s.trim()).filter(Boolean));
      if (!values.name) throw new UsageError("api-key create needs --name NAME.");
      if (!scopes.success) throw new UsageError(`api-key create needs --scopes from: ${apiScopeSchema.options.join(", ")}.`);
      const key = await createApiKey({ name: values.name, scopes: scopes.data, actor: { type: "cli" } });
      console.log(`Created API key "${values.name}" (${key.prefix}) with scopes ${key.scopes.join(", ")}.`);
      console.log("Store it now: it is not shown again.");
      console.log(key.key);
    } else if (sub === "list") {
      for (const k of await listApiKeys()) {
        const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : "active";
        console.log(`${k.prefix}  ${k.name}  [${k.scopes.join(",")}]  ${state}  last used ${k.lastUsedAt?.toISOString() ?? "never"}`);
      }
    } else if (sub === "revoke") {
      if (!arg) throw new UsageError("api-key revoke needs the key's id or prefix.");
      if (!(await revokeApiKey(arg, { actor: { type: "cli" } }))) throw new UsageError(`No active API key matches "${arg}".`);
      console.log(`Revoked ${arg}.`);
    } else {
      throw new UsageError(`Unknown api-key command "${sub ?? ""}".`);
    }
  } finally {
    await closeDb();
    await database.stop();
  }
}

run(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof TrainingUsageError) console.error(`${error.message}\n\n${USAGE}`);
  else console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
