import { z } from "zod";

/**
 * The only reader of process.env. Every setting is listed, with its default, in .env.example.
 * Parsed lazily so that a build (which has no database) never fails on runtime settings.
 */
const flag = z
  .enum(["0", "1", "true", "false", ""])
  .optional()
  .transform((v) => v === "1" || v === "true");

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().url().optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(20),
  DATA_DIR: z.string().default(".data"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default("127.0.0.1"),
  SEED_DEMO: z
    .enum(["0", "1", ""])
    .optional()
    .transform((v) => v !== "0"),
  NEXTAUTH_SECRET: z.string().min(16, "NEXTAUTH_SECRET must be at least 16 characters").optional(),
  NEXTAUTH_URL: z.string().url().optional(),
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  ALLOW_DEMO_LOGIN: flag,
  API_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(512 * 1024),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),

  // --- AI engine (lib/ai) ---
  /** auto: openai when OPENAI_API_KEY or OPENAI_BASE_URL is set, else local. local: never call a provider. */
  AI_PROVIDER: z.enum(["auto", "local", "openai"], { error: "AI_PROVIDER must be auto, local or openai" }).default("auto"),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.string().url("OPENAI_BASE_URL must be a URL such as http://localhost:11434/v1").optional(),
  OPENAI_MODEL: z.string().min(1).default("gpt-4o-mini"),
  /** The model that explains failed replies; defaults to OPENAI_MODEL. */
  OPENAI_ANALYSIS_MODEL: z.string().min(1).optional(),
  OPENAI_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  OPENAI_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  /** How similar (0-1) a past message must be before the local model reuses its reply. */
  AI_LOCAL_MIN_SIMILARITY: z.coerce.number().min(0).max(1).default(0.5),
  /** Past corrections given to the OpenAI model as examples with every suggestion. */
  AI_FEW_SHOT_EXAMPLES: z.coerce.number().int().min(0).max(10).default(3),
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

export function readEnv(): Env {
  if (cached) return cached;
  // An empty variable (`DATABASE_URL=` copied from .env.example) means "not set".
  const present = Object.fromEntries(Object.entries(process.env).filter(([, value]) => value !== ""));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment configuration (see .env.example):\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}

/** SSO is configured when an OIDC issuer is set; the demo sign-in exists only without it. */
export function isDemoMode(env: Env = readEnv()): boolean {
  return !env.OIDC_ISSUER;
}

/** Environment for a child process (the Next.js server, a benchmark) with overrides applied. */
export function childEnv(overrides: Record<string, string | undefined>): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}

/** For tests and scripts that change settings at run time. */
export function resetEnvCache(): void {
  cached = undefined;
}
