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
import { UserError } from "@/lib/errors";

const USAGE = `Usage: npm run cli -- <command>

  migrate                                      apply database migrations
  seed-demo                                    add demo users, replays and training examples
  api-key create --name NAME --scopes a,b      create an API key (printed once, as the last line)
        scopes: ${apiScopeSchema.options.join(", ")}
  api-key list                                 list keys (prefix only)
  api-key revoke <id-or-prefix>                revoke a key
${AI_CLI_USAGE}`;

class UsageError extends Error {}

async function run(argv: string[]) {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { name: { type: "string" }, scopes: { type: "string" }, limit: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  const [command, sub, arg] = positionals;
  if (!command || values.help) {
    console.log(USAGE);
    return;
  }
  const known = ["migrate", "seed-demo", "api-key", "analyses", "models"];
  if (!known.includes(command)) throw new UsageError(`Unknown command "${command}".`);

  const database = await prepareDatabase();
  try {
    if (command === "migrate") {
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
      console.log(`Seeded ${seeded.replays} replays (${seeded.pending} pending in the queue).`);
    } else if (sub === "create") {
      const scopes = z.array(apiScopeSchema).min(1).safeParse(values.scopes?.split(",").map((s) => s.trim()).filter(Boolean));
      if (!values.name) throw new UsageError("api-key create needs --name NAME.");
      if (!scopes.success) throw new UsageError(`api-key create needs --scopes from: ${apiScopeSchema.options.join(", ")}.`);
      const key = await createApiKey({ name: values.name, scopes: scopes.data });
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
      if (!(await revokeApiKey(arg))) throw new UsageError(`No active API key matches "${arg}".`);
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
  if (error instanceof UsageError) console.error(`${error.message}\n\n${USAGE}`);
  else console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
