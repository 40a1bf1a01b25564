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
  // --- auth: SSO, roles, cron, rate limits (issue 3) ---
  /** Provider id in the callback URL: /api/auth/callback/<OIDC_ID>. */
  OIDC_ID: z.string().regex(/^[a-z0-9-]{2,32}$/, "OIDC_ID must be 2-32 characters a-z, 0-9 or -").default("oidc"),
  OIDC_NAME: z.string().max(60).default("Company SSO"),
  OIDC_SCOPE: z.string().default("openid email profile"),
  OIDC_ROLE_CLAIM: z.string().default("groups"),
  /** Google Workspace: only accounts of this hosted domain (`hd` claim). */
  OIDC_HOSTED_DOMAIN: z.string().optional(),
  /** More providers at once: a JSON array, see .env.example. */
  OIDC_PROVIDERS: z.string().optional(),
  ROLE_MAP: z.string().default(""),
  DEFAULT_ROLE: z.enum(["agent", "manager", "admin"]).default("agent"),
  ALLOWED_EMAIL_DOMAINS: z.string().default(""),
  CRON_SECRET: z.string().min(16, "CRON_SECRET must be at least 16 characters").optional(),
  RATE_LIMIT_API_PER_MINUTE: z.coerce.number().int().min(1).default(3000),
  RATE_LIMIT_SIGNIN_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  API_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(512 * 1024),
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  // --- Training data pipeline (issue 5) ---
  WORST_PROMPT_THRESHOLD: z.coerce.number().int().min(0).default(5),
  WORST_PROMPT_WINDOW_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  GROUP_SIMILARITY: z.coerce.number().min(0.1).max(1).default(0.5),
  DUPLICATE_SIMILARITY: z.coerce.number().min(0.5).max(1).default(0.9),
  CONFLICT_SIMILARITY: z.coerce.number().min(0).max(1).default(0.3),
  TRAINING_MAX_TOKENS: z.coerce.number().int().min(16).default(65_536),
  TRAINING_SYSTEM_PROMPT: z.string().max(8_000).optional(),
  REDACT_ID_PATTERNS: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      try {
        const list: unknown = JSON.parse(value);
        if (!Array.isArray(list) || !list.every((p) => typeof p === "string")) throw new Error("not a list of strings");
        for (const pattern of list) new RegExp(pattern, "giu");
        return list as string[];
      } catch (error) {
        ctx.addIssue({ code: "custom", message: `must be a JSON array of regular expressions (${error instanceof Error ? error.message : "invalid"})` });
        return z.NEVER;
      }
    }),
  VALIDATION_SHARE: z.coerce.number().min(0).max(0.5).default(0.2),

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
  // --- embeddings (lib/meaning/embeddings) ---
  /** auto: with the OpenAI provider. on: whenever OPENAI_API_KEY or OPENAI_BASE_URL is set, even with AI_PROVIDER=local. off: never. */
  EMBEDDINGS: z.enum(["auto", "on", "off"], { error: "EMBEDDINGS must be auto, on or off" }).default("auto"),
  EMBEDDINGS_MODEL: z.string().min(1).default("text-embedding-3-small"),
  /** Passed as `dimensions` (text-embedding-3 and later); unset: the model's own size. */
  EMBEDDINGS_DIMENSIONS: z.coerce.number().int().min(1).max(8192).optional(),
  /** Cosine at which two messages count as the same question (scores as 0.5, the default join score). */
  EMBEDDINGS_MIN_SIMILARITY: z.coerce.number().min(0).max(0.99).default(0.6),
  EMBEDDINGS_BATCH_SIZE: z.coerce.number().int().min(1).max(2048).default(96),
  EMBEDDINGS_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  // --- weekly retrain (issue 6) ---
  /** review: the weekly dataset waits for a manager's approval. upload: it goes to the target at once. */
  RETRAIN_MODE: z.enum(["review", "upload"], { error: "RETRAIN_MODE must be review or upload" }).default("review"),
  /** Where a dataset goes; unset: openai when a provider is configured, else local. */
  FINE_TUNE_TARGET: z
    .enum(["openai", "local", "manual", "together", "fireworks", "azure", "openai-compatible"], {
      error: "FINE_TUNE_TARGET must be together, fireworks, azure, openai, openai-compatible, local or manual",
    })
    .optional(),
  FINE_TUNE_BASE_MODEL: z.string().min(1).default("gpt-4o-mini-2024-07-18"),
  /** A number of epochs (1-50) or auto. */
  FINE_TUNE_EPOCHS: z
    .string()
    .regex(/^(auto|[1-9]\d?)$/, "FINE_TUNE_EPOCHS must be auto or a number from 1 to 99")
    .default("auto")
    .transform((v) => (v === "auto" ? ("auto" as const) : Number(v))),
  /** Part of the fine-tuned model's name: ft:<base>:<org>:<suffix>-<week>:<id>. */
  FINE_TUNE_SUFFIX: z.string().regex(/^[a-z0-9-]{1,30}$/, "FINE_TUNE_SUFFIX must be 1-30 characters a-z, 0-9 or -").default("replay"),
  /** 1: a candidate that wins its evaluation becomes active without a manager. */
  AUTO_PROMOTE: flag,
  /** Validation examples the evaluation generates replies for (two replies each, and two judgements with OpenAI). */
  RETRAIN_EVAL_EXAMPLES: z.coerce.number().int().min(1).max(1000).default(50),
  // --- helpdesk integrations (issue 16, lib/integrations) ---
  /** The Zendesk webhook's signing secret (Admin Center → Webhooks → the webhook → Signing secret). */
  ZENDESK_WEBHOOK_SECRET: z.string().min(8, "ZENDESK_WEBHOOK_SECRET must be at least 8 characters").optional(),
  /** The Intercom app's client secret (Developer Hub → the app → Basic information). */
  INTERCOM_CLIENT_SECRET: z.string().min(8, "INTERCOM_CLIENT_SECRET must be at least 8 characters").optional(),
  /** The secret of the generic webhook (POST /api/integrations/webhook). */
  HELPDESK_WEBHOOK_SECRET: z.string().min(16, "HELPDESK_WEBHOOK_SECRET must be at least 16 characters").optional(),
  /** An inferred label: "no" when the agent changed at least this share of the draft's words (0-1). */
  HELPDESK_NOT_USEFUL_EDIT_RATIO: z.coerce.number().min(0).max(1).default(0.5),
  /** Helpdesk tags meaning "the AI suggestion was used" / "was not used": they win over the edit distance. */
  HELPDESK_ACCEPTED_TAGS: z.string().default("ai_suggestion_accepted,ai_suggestion_used,ai_reply_used"),
  HELPDESK_REJECTED_TAGS: z.string().default("ai_suggestion_rejected,ai_suggestion_dismissed"),


  // The shared queue (issue 12).
  /** How long opening a replay reserves it for the agent; the view renews it while the replay stays open. */
  REPLAY_RESERVATION_SECONDS: z.coerce.number().int().min(30).max(3600).default(300),
  /** on: open queues get new replays by server-sent events (PostgreSQL LISTEN/NOTIFY); off: they poll every 5 s. */
  QUEUE_PUSH: z.enum(["on", "off"], { error: "QUEUE_PUSH must be on or off" }).default("on"),
  // --- fine-tune targets and preference data (issue 13) ---
  /** What the weekly job trains: sft (agent replies), dpo (agent reply preferred over the AI's), sft-dpo (SFT, then DPO on the SFT model). Unset: the target's default. */
  FINE_TUNE_METHOD: z.enum(["sft", "dpo", "sft-dpo"], { error: "FINE_TUNE_METHOD must be sft, dpo or sft-dpo" }).optional(),
  /** USD per million training tokens, per target: "together=3,fireworks=0.5". Unset targets use the defaults in lib/retrain/estimate-cost.ts. */
  FINE_TUNE_PRICES: z
    .string()
    .regex(/^([a-z-]+=\d+(\.\d+)?)(,[a-z-]+=\d+(\.\d+)?)*$/, "FINE_TUNE_PRICES must look like together=3,fireworks=0.5")
    .optional(),
  /** Hours a fine-tune job may take; past that the poll cancels it at the provider and records the run as timed out. */
  FINE_TUNE_TIMEOUT_HOURS: z.coerce.number().min(1).max(24 * 30).default(72),
  TOGETHER_API_KEY: z.string().optional(),
  /** Read by the together-ai SDK's file upload as well, so it has the SDK's own name. */
  TOGETHER_API_BASE_URL: z.string().url("TOGETHER_API_BASE_URL must be a URL").default("https://api.together.xyz/v1"),
  FIREWORKS_API_KEY: z.string().optional(),
  FIREWORKS_ACCOUNT_ID: z.string().regex(/^[a-z0-9-]+$/, "FIREWORKS_ACCOUNT_ID is the account id in your Fireworks URLs").optional(),
  FIREWORKS_BASE_URL: z.string().url("FIREWORKS_BASE_URL must be a URL").default("https://api.fireworks.ai"),
  AZURE_OPENAI_ENDPOINT: z.string().url("AZURE_OPENAI_ENDPOINT must be a URL such as https://my-resource.openai.azure.com").optional(),
  AZURE_OPENAI_API_KEY: z.string().optional(),
  AZURE_OPENAI_API_VERSION: z.string().min(1).default("2025-04-01-preview"),
  // Azure serves a fine-tuned model only once it is deployed. With a service principal and the
  // resource's place in Azure, each retrain deploys its model itself (ARM); without them the run
  // waits on /retrain for a manager to deploy it and enter the deployment's name.
  AZURE_TENANT_ID: z.string().optional(),
  AZURE_CLIENT_ID: z.string().optional(),
  AZURE_CLIENT_SECRET: z.string().optional(),
  AZURE_SUBSCRIPTION_ID: z.string().optional(),
  AZURE_RESOURCE_GROUP: z.string().optional(),
  /** The Azure OpenAI resource's name (the <resource> of https://<resource>.openai.azure.com). */
  AZURE_OPENAI_ACCOUNT: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, "AZURE_OPENAI_ACCOUNT is the resource name, such as my-resource").optional(),
  /** The deployment type of a fine-tuned model: standard (Microsoft's example), globalstandard or developer. */
  AZURE_DEPLOYMENT_SKU: z.string().min(1).default("standard"),
  AZURE_DEPLOYMENT_CAPACITY: z.coerce.number().int().min(1).default(1),
  AZURE_MANAGEMENT_API_VERSION: z.string().min(1).default("2024-10-01"),
  /** Overridable for tests (a local server speaking the token and ARM protocols). */
  AZURE_LOGIN_URL: z.string().url("AZURE_LOGIN_URL must be a URL").default("https://login.microsoftonline.com"),
  AZURE_MANAGEMENT_URL: z.string().url("AZURE_MANAGEMENT_URL must be a URL").default("https://management.azure.com"),
  /** Any server with OpenAI's files + fine_tuning/jobs API (FINE_TUNE_TARGET=openai-compatible). */
  FINE_TUNE_BASE_URL: z.string().url("FINE_TUNE_BASE_URL must be a URL ending in /v1").optional(),
  FINE_TUNE_API_KEY: z.string().optional(),
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
  return !env.OIDC_ISSUER && !env.OIDC_PROVIDERS?.trim();
}

/** Environment for a child process (the Next.js server, a benchmark) with overrides applied. */
export function childEnv(overrides: Record<string, string | undefined>): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}

/** For tests and scripts that change settings at run time. */
export function resetEnvCache(): void {
  cached = undefined;
}
