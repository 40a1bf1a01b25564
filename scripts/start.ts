/**
 * `npm start` (production) and `npm run dev`: prepares the database (embedded unless DATABASE_URL
 * is set), migrates, seeds an empty database, builds when needed, then runs Next.js as a child
 * process. On SIGINT/SIGTERM it stops Next.js first, then the embedded database.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { readdirSync } from "node:fs";
import { closeDb, getPool } from "@/lib/db/client";
import { prepareDatabase } from "@/lib/db/prepare-database";
import { ensureDemoUsers, seedDemoIfEmpty } from "@/lib/demo/seed-demo";
import { childEnv, isDemoMode, readEnv } from "@/lib/env";
import { listOidcConfigs } from "@/lib/auth/oidc-config";
import { regroupReplays } from "@/lib/meaning/regroup-replays";
import { clusterSettings, engineFingerprint } from "@/lib/meaning/engine-fingerprint";
import { createFrontServer, UPSTREAM_KEEP_ALIVE_TIMEOUT_MS } from "@/lib/server/create-front-server";
import { freePort, waitForPort } from "@/lib/server/ports";

const dev = process.argv.includes("--dev");
const env = readEnv();
const nextBin = path.join(process.cwd(), "node_modules", "next", "dist", "bin", "next");

function fail(message: string): never {
  console.error(`\n✖ ${message}\n`);
  process.exit(1);
}

function isLoopback(host: string) {
  return host === "localhost" || host === "::1" || host.startsWith("127.");
}

/** A production build is reused unless a source file is newer than it. */
function buildIsStale(): boolean {
  const buildId = path.join(".next", "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  const newer = (dir: string): boolean =>
    existsSync(dir) &&
    readdirSync(dir, { withFileTypes: true }).some((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? newer(full) : statSync(full).mtimeMs > built;
    });
  return ["app", "components", "lib", "public"].some(newer) ||
    ["next.config.mjs", "package-lock.json", "postcss.config.mjs"].some((f) => existsSync(f) && statSync(f).mtimeMs > built);
}

/** Demo mode needs a session secret too; it is made once and kept beside the data. */
function authSecret(): string {
  if (env.NEXTAUTH_SECRET) return env.NEXTAUTH_SECRET;
  if (!isDemoMode(env)) fail("NEXTAUTH_SECRET is required when SSO is configured. Set it to a long random string (openssl rand -base64 32).");
  const file = path.join(env.DATA_DIR, "auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(env.DATA_DIR, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

async function main() {
  if (isDemoMode(env) && !isLoopback(env.HOST) && !env.ALLOW_DEMO_LOGIN) {
    fail(
      `Demo sign-in (no SSO configured) lets anyone sign in as any demo user, so the app refuses to listen on ${env.HOST}.\n` +
        "  Configure SSO (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET), or set ALLOW_DEMO_LOGIN=1 if you really mean it.",
    );
  }
  const secret = authSecret();
  if (!isDemoMode(env)) {
    try {
      const providers = listOidcConfigs(env);
      console.log(`▸ SSO: ${providers.map((p) => `${p.name} (${p.issuer}, callback /api/auth/callback/${p.id})`).join("; ")}`);
    } catch (error) {
      fail(error instanceof Error ? error.message : String(error));
    }
  }
  if (!env.CRON_SECRET) console.log("▸ CRON_SECRET is unset: /api/cron/* refuse every call (set it to run scheduled jobs)");

  console.log(env.DATABASE_URL ? "▸ Using DATABASE_URL" : `▸ Starting embedded PostgreSQL in ${path.resolve(env.DATA_DIR, "postgres")}`);
  const database = await prepareDatabase({ log: env.LOG_LEVEL === "debug" ? (l) => console.log(`[postgres] ${l}`) : undefined });
  if (isDemoMode(env)) await ensureDemoUsers();
  if (await seedDemoIfEmpty(env.SEED_DEMO)) console.log("▸ Seeded demo data (set SEED_DEMO=0 to skip)");
  // Prompt groups by meaning (lib/meaning/): a small database is brought up to date before the app
  // opens (the seed, a new engine version); a large one is regrouped in the background below.
  const regroupInBackground = await needsLongRegroup();
  if (!regroupInBackground) {
    const grouped = await regroupReplays();
    if (grouped.replays) console.log(`▸ Grouped ${grouped.replays} replays into prompt groups${grouped.regrouped ? " (by meaning)" : ""}`);
  }
  await closeDb();

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await database.stop().catch((e: Error) => console.error("Stopping PostgreSQL:", e.message));
    process.exit(code);
  };

  if (!dev && buildIsStale()) {
    console.log("▸ Building the app (first start, or the source changed)…");
    const build = spawnSync(process.execPath, [nextBin, "build"], { stdio: "inherit", env: childEnv({ NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" }) });
    if (build.status !== 0) {
      console.error("✖ next build failed; see the output above.");
      await stop(1);
    }
  }

  const url = `http://${isLoopback(env.HOST) ? "localhost" : env.HOST}:${env.PORT}`;
  // Production: Next.js listens on a loopback port behind the front server, which answers the
  // helpdesk's POST /api/feedback-replay itself (lib/server/create-front-server.ts). Development:
  // `next dev` serves everything itself, hot reload included.
  const nextPort = dev ? env.PORT : await freePort();
  const child = spawn(
    process.execPath,
    [
      nextBin,
      dev ? "dev" : "start",
      "--hostname",
      dev ? env.HOST : "127.0.0.1",
      "--port",
      String(nextPort),
      // Behind the front server, Next.js outlasts the front server's idle sockets (create-front-server.ts).
      ...(dev ? [] : ["--keepAliveTimeout", String(UPSTREAM_KEEP_ALIVE_TIMEOUT_MS)]),
    ],
    {
      stdio: "inherit",
      env: childEnv({
        // No network but the package registries: Next.js's telemetry stays off.
        NEXT_TELEMETRY_DISABLED: "1",
        DATABASE_URL: database.url,
        NEXTAUTH_SECRET: secret,
        NEXTAUTH_URL: env.NEXTAUTH_URL ?? url,
        NODE_ENV: dev ? "development" : "production",
      }),
    },
  );
  let front: ReturnType<typeof createFrontServer> | undefined;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      front?.close();
      if (child.exitCode === null) child.kill(signal);
      else void stop(0);
    });
  }
  child.on("exit", (code) => {
    front?.close();
    void stop(code ?? 0);
  });

  if (!dev) {
    await waitForPort(nextPort, () => child.exitCode === null);
    front = createFrontServer({ upstreamPort: nextPort });
    front.on("error", (error: Error) => {
      console.error(`✖ Cannot listen on ${env.HOST}:${env.PORT}: ${error.message}`);
      child.kill("SIGTERM");
    });
    await new Promise<void>((resolve) => front!.listen(env.PORT, env.HOST, resolve));
  }
  console.log(`▸ Feedback Replay on ${url}${isDemoMode(env) ? " (demo sign-in: no SSO configured)" : ""}`);
  if (regroupInBackground) {
    console.log("▸ Regrouping replays by meaning in the background (the grouping engine or GROUP_SIMILARITY changed)");
    let reported = 0;
    regroupReplays({
      onProgress: (done, total) => {
        if (done - reported >= 100_000 || done === total) console.log(`▸ Regrouped ${(reported = done)} of ${total} replays`);
      },
    }).then(
      (result) => console.log(`▸ Regrouped ${result.replays} replays`),
      (error: unknown) => console.error("✖ Regrouping failed (retried on the next start, or run `npm run cli -- training regroup`):", error instanceof Error ? error.message : error),
    );
  }
}

/** Whether the grouping is stale (engine or settings changed) on a database too large to regroup before opening. */
async function needsLongRegroup(): Promise<boolean> {
  const { rows } = await getPool().query<{ engine: string; replays: number }>(
    "SELECT (SELECT engine FROM meaning_state WHERE id = 1) AS engine, (SELECT count(*)::int FROM (SELECT 1 FROM feedback_replay_log LIMIT 20001) r) AS replays",
  );
  const fingerprint = engineFingerprint(clusterSettings(env.GROUP_SIMILARITY));
  return rows[0]!.engine !== fingerprint && rows[0]!.replays > 20_000;
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
