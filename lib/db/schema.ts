import { sql } from "drizzle-orm";
import {
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
  bigint,
  doublePrecision,
} from "drizzle-orm/pg-core";

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
    /** Analytics: word-level edits from ai_reply to agent_reply, set by a database trigger on write. */
    editDistance: integer("edit_distance"),
    /** edit_distance / the longer reply's word count: 0 = sent unchanged, 1 = rewritten. */
    editRatio: real("edit_ratio"),
  },
  (t) => [
    index("feedback_replay_log_queue_idx").on(t.createdAt, t.id).where(sql`${t.status} = 'pending'`),
    index("feedback_replay_log_prompt_feedback_idx").on(t.promptHash, t.feedback),
    index("feedback_replay_log_ticket_idx").on(t.ticketId),
    index("feedback_replay_log_topic_idx").on(t.topic, t.createdAt),
    index("feedback_replay_log_agent_idx").on(t.agentId, t.submittedAt),
    // Analytics: the dashboard's "worst prompts" reads only this index (an index-only scan).
    index("feedback_replay_log_not_useful_idx")
      .on(t.createdAt, t.promptHash, t.topic, t.model, t.agentId)
      .where(sql`${t.feedback} = 'no'`),
    // ...and finds each worst prompt's latest message without reading the group's older rows.
    index("feedback_replay_log_not_useful_prompt_idx").on(t.promptHash, t.createdAt).where(sql`${t.feedback} = 'no'`),
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

// --- auth: audit log and rate limits (issue 3) ------------------------------------------------

/**
 * Who did what, when: sign-ins, role changes, API key creation/revocation, approvals, exports,
 * fine-tune uploads. `actor_type` is user | api_key | cron | cli | anonymous. `details` holds ids
 * and counts, never customer text (it is personal data and this table is kept for long).
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    actorType: text("actor_type").notNull(),
    actorId: text("actor_id"),
    actorEmail: text("actor_email"),
    action: text("action").notNull(),
    target: text("target"),
    details: jsonb("details").notNull().default({}),
    ip: text("ip"),
    createdAt: createdAt().notNull(),
  },
  (t) => [
    index("audit_log_created_idx").on(t.createdAt, t.id),
    index("audit_log_action_idx").on(t.action, t.createdAt),
    index("audit_log_actor_idx").on(t.actorEmail, t.createdAt),
  ],
);

/** Fixed-window request counters, one row per (bucket, window start); shared by every instance. */
export const rateLimitCounters = pgTable(
  "rate_limit_counters",
  {
    bucket: text("bucket").notNull(),
    windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.bucket, t.windowStart] }), index("rate_limit_counters_window_idx").on(t.windowStart)],
);
// ── Analytics (issue 7) ─────────────────────────────────────────────────────────────────────────

const counter = (name: string) => bigint(name, { mode: "number" }).notNull().default(0);

/**
 * Daily rollup behind the dashboard: one row per (UTC day of the replay's created_at, topic,
 * model, agent). Maintained by statement-level triggers on feedback_replay_log and training_log
 * (drizzle/*_analytics_triggers.sql) that add the new rows' counts and subtract the old rows',
 * so every write, whatever its path, keeps it exact in the same transaction.
 * `npm run cli -- analytics-rebuild` recomputes it from the base tables.
 */
export const analyticsDaily = pgTable(
  "analytics_daily",
  {
    day: date("day"),
    topic: text("topic"),
    model: text("model"),
    agentId: uuid("agent_id"),
    replays: counter("replays"),
    pending: counter("pending"),
    submitted: counter("submitted"),
    useful: counter("useful"),
    notUseful: counter("not_useful"),
    /** Submitted replays with both replies, so an edit ratio; then by edit ratio bucket. */
    editMeasured: counter("edit_measured"),
    editUnchanged: counter("edit_unchanged"),
    editUpTo10: counter("edit_up_to_10"),
    editUpTo25: counter("edit_up_to_25"),
    editUpTo50: counter("edit_up_to_50"),
    editUpTo75: counter("edit_up_to_75"),
    editOver75: counter("edit_over_75"),
    editRatioSum: doublePrecision("edit_ratio_sum").notNull().default(0),
    /** training_log rows, attributed to their replay's day/topic/model/agent. */
    examples: counter("examples"),
    examplesReady: counter("examples_ready"),
  },
  (t) => [
    unique("analytics_daily_key").on(t.day, t.topic, t.model, t.agentId).nullsNotDistinct(),
    // "When did this model version first serve a replay": a min() per model without a scan.
    index("analytics_daily_model_day_idx").on(t.model, t.day),
    // The filter bar's topic list: a skip scan over this index instead of reading the rollup.
    index("analytics_daily_topic_idx").on(t.topic),
  ],
);
