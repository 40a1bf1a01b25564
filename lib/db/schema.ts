import { sql } from "drizzle-orm";
import {
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { FAILURE_CATEGORIES } from "../ai/failure-categories";

export const feedbackEnum = pgEnum("feedback", ["yes", "no"]);
export const replayStatusEnum = pgEnum("replay_status", ["pending", "submitted"]);
export const userRoleEnum = pgEnum("user_role", ["agent", "manager", "admin"]);
/** `needs_completion`: a "not useful" with no usable agent reply. Kept, never exported. */
export const exampleStatusEnum = pgEnum("training_example_status", ["needs_completion", "ready"]);

const createdAt = () => timestamp("created_at", { withTimezone: true }).defaultNow();

export const users = pgTable("users", {
  id: uuid("id").primaryKey().defaultRandom(),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  role: userRoleEnum("role").notNull().default("agent"),
  createdAt: createdAt().notNull(),
  lastSignInAt: timestamp("last_sign_in_at", { withTimezone: true }),
});

/** The requested table: id, message, ai_reply, agent_reply, feedback, created_at keep their names. */
export const feedbackReplayLog = pgTable(
  "feedback_replay_log",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    message: text("message").notNull(),
    aiReply: text("ai_reply").notNull(),
    agentReply: text("agent_reply"),
    feedback: feedbackEnum("feedback"),
    createdAt: createdAt(),
    status: replayStatusEnum("status").notNull().default("pending"),
    ticketId: text("ticket_id"),
    topic: text("topic"),
    model: text("model").notNull().default("unknown"),
    source: text("source").notNull().default("api"),
    /** md5 of the normalised message: "feedback per prompt" is one indexed GROUP BY. */
    promptHash: text("prompt_hash").notNull(),
    agentId: uuid("agent_id").references(() => users.id, { onDelete: "set null" }),
    agentEmail: text("agent_email"),
    /** Client-made id of the submit that closed this replay: a retried submit is recognised. */
    submissionId: uuid("submission_id"),
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    /** AI engine: the registered model version that produced ai_reply (null when the helpdesk sent it). */
    modelVersionId: uuid("model_version_id").references(() => modelVersions.id, { onDelete: "set null" }),
  },
  (t) => [
    index("feedback_replay_log_model_version_idx").on(t.modelVersionId),
    index("feedback_replay_log_queue_idx").on(t.createdAt, t.id).where(sql`${t.status} = 'pending'`),
    index("feedback_replay_log_prompt_feedback_idx").on(t.promptHash, t.feedback),
    index("feedback_replay_log_ticket_idx").on(t.ticketId),
    index("feedback_replay_log_topic_idx").on(t.topic, t.createdAt),
    index("feedback_replay_log_agent_idx").on(t.agentId, t.submittedAt),
  ],
);

/** The requested table: prompt = customer message, completion = the agent's better reply. */
export const trainingLog = pgTable(
  "training_log",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    prompt: text("prompt").notNull(),
    completion: text("completion").notNull(),
    createdAt: createdAt(),
    status: exampleStatusEnum("status").notNull().default("ready"),
    replayId: uuid("replay_id").references(() => feedbackReplayLog.id, { onDelete: "set null" }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("training_log_replay_idx").on(t.replayId),
    index("training_log_status_idx").on(t.status, t.createdAt),
  ],
);

export const apiKeys = pgTable("api_keys", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  /** The first characters of the key, shown in lists; the key itself is never stored. */
  prefix: text("prefix").notNull().unique(),
  keyHash: text("key_hash").notNull().unique(),
  scopes: text("scopes").array().notNull(),
  createdAt: createdAt().notNull(),
  lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
});

/** One row per (key, Idempotency-Key): a repeated request returns the first one's replay. */
export const apiIdempotencyKeys = pgTable(
  "api_idempotency_keys",
  {
    apiKeyId: uuid("api_key_id")
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    replayId: uuid("replay_id").references(() => feedbackReplayLog.id, { onDelete: "cascade" }),
    response: jsonb("response"),
    createdAt: createdAt().notNull(),
  },
  (t) => [primaryKey({ columns: [t.apiKeyId, t.key] })],
);

// --- AI engine (issue 4): model registry, retrieval indexes, self-critique -----------------------

export const modelProviderEnum = pgEnum("model_provider", ["local", "openai"]);

/**
 * Every model that can produce suggestions. Exactly one row is active (partial unique index);
 * `activated_by` says who chose it: `config` (start-up default, follows the environment),
 * `manager` or `retrain` (kept until someone else changes it).
 */
export const modelVersions = pgTable(
  "model_versions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    provider: modelProviderEnum("provider").notNull(),
    /** The provider's model id: `local-retrieval`, `gpt-4o-mini`, `ft:gpt-4o-mini:acme::abc123`. */
    name: text("name").notNull(),
    /** A label for people: `v1`, `base`, `2026-W47`. Shown as `name@version`. */
    version: text("version").notNull(),
    isActive: boolean("is_active").notNull().default(false),
    activatedBy: text("activated_by"),
    activatedByUserId: uuid("activated_by_user_id").references(() => users.id, { onDelete: "set null" }),
    notes: text("notes"),
    createdAt: createdAt().notNull(),
    promotedAt: timestamp("promoted_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("model_versions_name_idx").on(t.provider, t.name, t.version),
    uniqueIndex("model_versions_one_active_idx").on(t.isActive).where(sql`${t.isActive}`),
  ],
);

export const failureAnalysisStatusEnum = pgEnum("failure_analysis_status", ["pending", "running", "done", "failed"]);
export const failureCategoryEnum = pgEnum("failure_category", FAILURE_CATEGORIES);

/**
 * "Why did the AI reply fail?", one row per "not useful" replay. The pending row is written by a
 * trigger in the same transaction as the "no" (see the migration), so a crash between the
 * response and the analysis loses nothing; workers claim rows by flipping status to `running`.
 */
export const failureAnalyses = pgTable(
  "failure_analyses",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    replayId: uuid("replay_id")
      .notNull()
      .unique()
      .references(() => feedbackReplayLog.id, { onDelete: "cascade" }),
    status: failureAnalysisStatusEnum("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    category: failureCategoryEnum("category"),
    explanation: text("explanation"),
    suggestedFix: text("suggested_fix"),
    provider: text("provider"),
    model: text("model"),
    /** The agent's (or a manager's) correction of the category; analytics shows the agreement. */
    agentCategory: failureCategoryEnum("agent_category"),
    agentCategoryBy: uuid("agent_category_by").references(() => users.id, { onDelete: "set null" }),
    agentCategoryAt: timestamp("agent_category_at", { withTimezone: true }),
    claimedAt: timestamp("claimed_at", { withTimezone: true }),
    analyzedAt: timestamp("analyzed_at", { withTimezone: true }),
    createdAt: createdAt().notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("failure_analyses_open_idx").on(t.status, t.updatedAt).where(sql`${t.status} <> 'done'`)],
);

/**
 * Distinct retrieval keys (`retrieval_key(text)`: stemmed content words, no numbers, emails or
 * greetings) of every message the local model may answer from. Far fewer rows than examples, so
 * the trigram nearest-neighbour search stays fast; examples are then found by the expression
 * indexes on training_log and feedback_replay_log. Filled by triggers; see the migration.
 */
export const retrievalKeys = pgTable(
  "retrieval_keys",
  {
    key: text("key").primaryKey(),
    createdAt: createdAt().notNull(),
  },
  (t) => [index("retrieval_keys_trgm_idx").using("gist", t.key.op("gist_trgm_ops(siglen=256)"))],
);
