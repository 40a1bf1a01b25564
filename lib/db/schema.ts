import { sql } from "drizzle-orm";
import {
  date,
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
  check,
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
  doublePrecision,
} from "drizzle-orm/pg-core";
import { FAILURE_CATEGORIES } from "../ai/failure-categories";

export const feedbackEnum = pgEnum("feedback", ["yes", "no"]);
export const replayStatusEnum = pgEnum("replay_status", ["pending", "submitted"]);
export const userRoleEnum = pgEnum("user_role", ["agent", "manager", "admin"]);
/** `needs_completion`: a "not useful" with no usable agent reply. Kept, never exported. */
export const exampleStatusEnum = pgEnum("training_example_status", ["needs_completion", "ready"]);
// Training pipeline (issue 5): the manager's review, dataset snapshots.
export const reviewStatusEnum = pgEnum("training_review_status", ["pending", "approved", "rejected", "merged"]);
export const reviewDecisionEnum = pgEnum("training_review_decision", ["approved", "rejected", "edited", "merged", "reopened"]);
export const datasetSourceEnum = pgEnum("dataset_source", ["approved", "worst-prompts"]);
export const datasetSplitEnum = pgEnum("dataset_split", ["all", "train", "validation"]);
export const datasetStatusEnum = pgEnum("dataset_status", ["writing", "complete", "aborted"]);

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
    // Training pipeline (issue 5): the customer's name as the helpdesk gives it (redacted on export),
    // and the group of messages asking the same thing, assigned on write.
    customerName: text("customer_name"),
    promptGroupId: uuid("prompt_group_id").references((): AnyPgColumn => promptGroups.id, { onDelete: "set null" }),
    /** AI engine: the registered model version that produced ai_reply (null when the helpdesk sent it). */
    modelVersionId: uuid("model_version_id").references((): AnyPgColumn => modelVersions.id, { onDelete: "set null" }),
    // Helpdesk integrations (issue 16): the label was inferred (edit distance, helpdesk tags), not
    // given by an agent; an explicit label replaces it. import_key: md5 of ticket id + message for
    // a history import, so a second run stores nothing new.
    feedbackInferred: boolean("feedback_inferred").notNull().default(false),
    importKey: text("import_key"),
  },
  (t) => [
    index("feedback_replay_log_group_feedback_idx").on(t.promptGroupId, t.feedback, t.createdAt),
    index("feedback_replay_log_ungrouped_idx").on(t.id).where(sql`${t.promptGroupId} IS NULL`),
    index("feedback_replay_log_model_version_idx").on(t.modelVersionId),
    index("feedback_replay_log_queue_idx").on(t.createdAt, t.id).where(sql`${t.status} = 'pending'`),
    index("feedback_replay_log_prompt_feedback_idx").on(t.promptHash, t.feedback),
    index("feedback_replay_log_ticket_idx").on(t.ticketId),
    index("feedback_replay_log_topic_idx").on(t.topic, t.createdAt),
    index("feedback_replay_log_agent_idx").on(t.agentId, t.submittedAt),
    // Analytics: the dashboard's "worst prompts" reads only this index (an index-only scan, per prompt group).
    index("feedback_replay_log_not_useful_idx")
      .on(t.createdAt, t.promptHash, t.topic, t.model, t.agentId, t.promptGroupId)
      .where(sql`${t.feedback} = 'no'`),
    // ...and finds each worst prompt's latest message without reading the group's older rows.
    index("feedback_replay_log_not_useful_prompt_idx").on(t.promptHash, t.createdAt).where(sql`${t.feedback} = 'no'`),
    uniqueIndex("feedback_replay_log_import_key_idx").on(t.importKey).where(sql`${t.importKey} IS NOT NULL`),
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
    // Training pipeline (issue 5). Review: `status` still says whether the completion is usable;
    // review_status is the manager's decision. An edited completion keeps the agent's original.
    reviewStatus: reviewStatusEnum("review_status").notNull().default("pending"),
    reviewedBy: uuid("reviewed_by").references(() => users.id, { onDelete: "set null" }),
    reviewedAt: timestamp("reviewed_at", { withTimezone: true }),
    originalCompletion: text("original_completion"),
    duplicateOf: uuid("duplicate_of").references((): AnyPgColumn => trainingLog.id, { onDelete: "set null" }),
    // Hygiene, computed by lib/training/prepare-examples.ts before any export: redacted texts,
    // the chat's token count, and the key that exact and near duplicates share.
    cleanPrompt: text("clean_prompt"),
    cleanCompletion: text("clean_completion"),
    redactions: jsonb("redactions"),
    tokenCount: integer("token_count"),
    dedupeKey: text("dedupe_key"),
    /** Fingerprint of the settings the clean texts were made with; another value means "redo". */
    preparedWith: text("prepared_with"),
    /** The replay's prompt group, copied when prepared: an export reads one table, no join. */
    promptGroupId: uuid("prompt_group_id"),
    /**
     * Which side of the train/validation split the example is on comes from this key: one per
     * wording of its question (md5 of the normalised prompt, shared by wordings that mean the same
     * word for word, lib/meaning/), so a held-out wording is one the candidate never saw.
     */
    splitKey: uuid("split_key"),
    // Preference data (issue 13): the AI's reply to the same message, redacted like the texts
    // above, when it makes a pair with the agent's reply (not empty, not the same reply): the
    // rejected output of a DPO line. NULL: no preference pair.
    cleanRejected: text("clean_rejected"),
  },
  (t) => [
    uniqueIndex("training_log_replay_idx").on(t.replayId),
    // Approved examples in file order (created_at, id) straight from the index.
    index("training_log_review_idx").on(t.reviewStatus, t.createdAt, t.id),
    // A group's examples: the near-duplicate check when preparing, the weekly worst-prompts export.
    index("training_log_group_idx").on(t.promptGroupId, t.createdAt, t.id),
    index("training_log_status_idx").on(t.status, t.createdAt),
    // Merged duplicates point at their original: deleting an example sets theirs to null (the
    // foreign key's ON DELETE), which without this index scans the table once per deleted row.
    index("training_log_duplicate_of_idx").on(t.duplicateOf),
    // "Anything to prepare?" before every export: a range scan, not a pass over the table (0.8 s at a million).
    index("training_log_prepared_idx").on(t.preparedWith),
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

// --- Training data pipeline (issue 5): prompt groups, review, dataset snapshots -----------------

/**
 * Customer messages that ask the same thing, whatever their wording: the meaning engine places each
 * replay (lib/meaning/place-replays.ts), a manager's pin wins. Each replay points at its group, so
 * "not useful per prompt" is one indexed GROUP BY.
 */
export const promptGroups = pgTable(
  "prompt_groups",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** The first message of the group, as received: personal data, render as text only. */
    representative: text("representative").notNull(),
    /** normalizePrompt(representative): what similarity is measured on. */
    normalized: text("normalized").notNull(),
    /** md5 of `normalized` (= feedback_replay_log.prompt_hash of the representative). */
    promptHash: text("prompt_hash").notNull(),
    createdAt: createdAt().notNull(),
  },
  (t) => [
    uniqueIndex("prompt_groups_prompt_hash_idx").on(t.promptHash),
    // GiST (not GIN) so that "the most similar group" is a KNN index scan (ORDER BY <-> LIMIT 1).
    index("prompt_groups_normalized_trgm_idx").using("gist", sql`${t.normalized} gist_trgm_ops`),
  ],
);


/** Every review decision, who and when: the audit trail behind training_log.review_status. */
export const trainingReviews = pgTable(
  "training_reviews",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    exampleId: uuid("example_id")
      .notNull()
      .references(() => trainingLog.id, { onDelete: "cascade" }),
    reviewerId: uuid("reviewer_id").references(() => users.id, { onDelete: "set null" }),
    decision: reviewDecisionEnum("decision").notNull(),
    /** For "edited": the new completion; for "merged": the example it was merged into. */
    completion: text("completion"),
    duplicateOf: uuid("duplicate_of"),
    createdAt: createdAt().notNull(),
  },
  (t) => [index("training_reviews_example_idx").on(t.exampleId, t.createdAt)],
);

/** One row per export: what was in it, its hash and counts, who or what made it. */
export const datasets = pgTable(
  "datasets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    source: datasetSourceEnum("source").notNull(),
    split: datasetSplitEnum("split").notNull().default("all"),
    status: datasetStatusEnum("status").notNull().default("writing"),
    /** "web", "api", "cli", "cron" … and the user or API key behind it. */
    createdVia: text("created_via").notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    apiKeyId: uuid("api_key_id").references(() => apiKeys.id, { onDelete: "set null" }),
    /** The selection settings (window, threshold, token limit, system prompt…), for reproducing it. */
    settings: jsonb("settings").notNull(),
    exampleCount: integer("example_count").notNull().default(0),
    trainCount: integer("train_count").notNull().default(0),
    validationCount: integer("validation_count").notNull().default(0),
    /** Candidates left out, by reason: duplicate, too_long, unusable. */
    dropped: jsonb("dropped").notNull().default({}),
    /** The format validator's report on the file as written. */
    validation: jsonb("validation"),
    sha256: text("sha256"),
    bytes: bigint("bytes", { mode: "number" }),
    createdAt: createdAt().notNull(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
    /** The file's line format (issue 13): sft = chat `{"messages"}`, dpo = preference pairs. */
    format: text("format").notNull().default("sft"),
  },
  (t) => [index("datasets_created_idx").on(t.createdAt)],
);

/**
 * Lineage: replay → training example → dataset. A snapshot's members in file order, up to 10,000
 * to a row (lib/training/create-member-writer.ts): `example_ids[i]` is the member at ordinal
 * `first_ordinal + i - 1`, `validation[i]` its side of the split. One row per example made an
 * export spend ~4 s of its ~9 s on recording a million members and indexing them (bench/export.ts);
 * chunks cost a hundred INSERTs. No index on the ids: "which datasets hold example X" reads only
 * the chunks whose created_at span covers X's created_at (at most one per export, since exports
 * go in created_at order) and looks inside those (lib/training/get-example-detail.ts).
 */
export const datasetChunks = pgTable(
  "dataset_chunks",
  {
    datasetId: uuid("dataset_id")
      .notNull()
      .references(() => datasets.id, { onDelete: "cascade" }),
    /** Ordinal (1-based position in the file) of the chunk's first member. */
    firstOrdinal: integer("first_ordinal").notNull(),
    /** No foreign key can reach into an array; nothing deletes training examples. */
    exampleIds: uuid("example_ids").array().notNull(),
    validation: boolean("validation").array().notNull(),
    /** The span of the members' training_log.created_at (NULL counted as -infinity). */
    oldestCreatedAt: timestamp("oldest_created_at", { withTimezone: true }).notNull(),
    newestCreatedAt: timestamp("newest_created_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.datasetId, t.firstOrdinal] })],
);

// --- AI engine (issue 4): model registry, retrieval indexes, self-critique -----------------------

// Fine-tune targets that serve their models over an OpenAI-compatible chat API (issue 13) are providers too.
export const modelProviderEnum = pgEnum("model_provider", ["local", "openai", "together", "fireworks", "azure", "openai-compatible"]);

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

/**
 * What a local retrain learned (lib/retrain/local-classifier.ts): one artifact per model version,
 * versioned by `format`, served once the version is promoted. `params` holds the vocabulary, the
 * questions and their answers; `weights` the learned parameters (Float32, base64).
 */
export const modelArtifacts = pgTable("model_artifacts", {
  modelVersionId: uuid("model_version_id")
    .primaryKey()
    .references(() => modelVersions.id, { onDelete: "cascade" }),
  kind: text("kind").notNull(),
  format: integer("format").notNull(),
  params: jsonb("params").notNull(),
  weights: text("weights").notNull(),
  createdAt: createdAt().notNull(),
});

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
  (t) => [
    index("failure_analyses_open_idx").on(t.status, t.updatedAt).where(sql`${t.status} <> 'done'`),
    // The dashboard's latest explanations per category, newest first, without a pass over every analysis.
    index("failure_analyses_done_idx").on(t.category, t.analyzedAt).where(sql`${t.status} = 'done'`),
  ],
);

/**
 * What the meaning engine (lib/meaning/) knows of each prompt group: the distinct wordings of its
 * customer messages and the agents' replies to them, written by the grouping job only (under its
 * advisory lock, so ids grow in commit order and each app process fetches `id > last seen`). A
 * repeat of a wording already here is not written again, so this stays small beside the replays.
 * Personal data (customer text): never logged, shown as text only.
 */
export const meaningDocuments = pgTable(
  "meaning_documents",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    /** The grouping it belongs to: a regroup writes the next generation, then drops the old one. */
    generation: integer("generation").notNull(),
    promptGroupId: uuid("prompt_group_id")
      .notNull()
      .references(() => promptGroups.id, { onDelete: "cascade" }),
    /** The replay whose message or reply this is (no foreign key: a deleted replay just stops matching). */
    replayId: uuid("replay_id"),
    kind: text("kind", { enum: ["message", "reply"] }).notNull(),
    text: text("text").notNull(),
    createdAt: createdAt().notNull(),
  },
  (t) => [index("meaning_documents_generation_idx").on(t.generation, t.id), index("meaning_documents_group_idx").on(t.promptGroupId)],
);

/**
 * A manager's decision on /training/groups/[id] (split, move, merge; lib/meaning/move-wordings.ts):
 * replays with this normalised message (feedback_replay_log.prompt_hash) belong to this group
 * whatever the engine says, through every regroup. Every wording of the groups a decision touched
 * is pinned, so neither side of a split drifts back.
 */
export const promptGroupPins = pgTable(
  "prompt_group_pins",
  {
    promptHash: text("prompt_hash").primaryKey(),
    promptGroupId: uuid("prompt_group_id")
      .notNull()
      .references(() => promptGroups.id, { onDelete: "cascade" }),
    pinnedBy: uuid("pinned_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt().notNull(),
  },
  // A group's pins: a merge moves them, and deleting a group (a regroup's empty ones) looks them up.
  (t) => [index("prompt_group_pins_group_idx").on(t.promptGroupId)],
);

/** One row: the grouping in force (its generation) and the engine fingerprint it was made with. */
export const meaningState = pgTable("meaning_state", {
  id: integer("id").primaryKey().default(1),
  generation: integer("generation").notNull().default(1),
  engine: text("engine").notNull().default(""),
  /** Bumped by a manager's split or merge: every process reloads its index. */
  revision: integer("revision").notNull().default(0),
  /** Set while a regroup runs: the generation being written, and how far it is. */
  regrouping: integer("regrouping"),
  regroupDone: integer("regroup_done").notNull().default(0),
  regroupTotal: integer("regroup_total").notNull().default(0),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The provider's embedding of each distinct message text (lib/meaning/embeddings/), so a text is
 * embedded once per model and size. Keyed by the SHA-256 of the text: the text itself is not
 * stored here. `embedding` is `real[]`; the migration makes it pgvector's `vector` where that
 * extension can be created (read back as `embedding::real[]` either way). A text whose embedding
 * failed has no row: that absence is what makes it retried.
 */
export const messageEmbeddings = pgTable(
  "message_embeddings",
  {
    model: text("model").notNull(),
    /** EMBEDDINGS_DIMENSIONS, 0 when unset (the model's own size). */
    dimensions: integer("dimensions").notNull(),
    /** Hex SHA-256 of the message text. */
    textHash: text("text_hash").notNull(),
    embedding: real("embedding").array().notNull(),
    createdAt: createdAt().notNull(),
  },
  (t) => [primaryKey({ columns: [t.model, t.dimensions, t.textHash] })],
);

// --- weekly retrain (issue 6) ---

export const retrainRunStatusEnum = pgEnum("retrain_run_status", [
  "running",
  "held",
  "uploading",
  "training",
  // Azure: the fine-tuned model is being deployed (ARM), or waits for a manager to deploy it.
  "deploying",
  "awaiting_deployment",
  "evaluating",
  "succeeded",
  "failed",
  "discarded",
  "skipped",
]);
export const retrainModeEnum = pgEnum("retrain_mode", ["review", "upload"]);
export const fineTuneTargetEnum = pgEnum("fine_tune_target", ["openai", "local", "manual", "together", "fireworks", "azure", "openai-compatible"]);
export const retrainTriggerEnum = pgEnum("retrain_trigger", ["cron", "cli", "manager"]);
export const evaluationDecisionEnum = pgEnum("evaluation_decision", ["pending", "promoted", "discarded", "rolled_back"]);

/**
 * One row per ISO week (`2026-W48`): the unique key is what makes a twice-delivered cron event,
 * the CLI and the "Run now" button do the work once. A failed run is resumed (attempts + 1), and
 * the provider's file and job ids are written after each step, so a retry never uploads twice.
 */
export const retrainRuns = pgTable(
  "retrain_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    isoWeek: text("iso_week").notNull().unique(),
    status: retrainRunStatusEnum("status").notNull().default("running"),
    mode: retrainModeEnum("mode").notNull(),
    target: fineTuneTargetEnum("target").notNull(),
    trigger: retrainTriggerEnum("trigger").notNull(),
    datasetId: uuid("dataset_id").references(() => datasets.id, { onDelete: "set null" }),
    /** worstPrompts, examples, train, validation, dropped… */
    counts: jsonb("counts").notNull().default({}),
    trainingFileId: text("training_file_id"),
    validationFileId: text("validation_file_id"),
    fineTuneJobId: text("fine_tune_job_id"),
    fineTunedModel: text("fine_tuned_model"),
    candidateModelVersionId: uuid("candidate_model_version_id").references(() => modelVersions.id, { onDelete: "set null" }),
    error: text("error"),
    attempts: integer("attempts").notNull().default(1),
    /** What happened, oldest first: `{ at, message, level }` (ours and the provider's events). */
    events: jsonb("events").notNull().default([]),
    approvedBy: uuid("approved_by").references(() => users.id, { onDelete: "set null" }),
    approvedAt: timestamp("approved_at", { withTimezone: true }),
    createdAt: createdAt().notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    // Fine-tune targets and preference data (issue 13). `method`: what the target trains this
    // week, sft, dpo or sft-dpo (SFT, then DPO on the SFT model); NULL on older runs = sft.
    // `stage`: the step the file and job ids above belong to. `dpo_dataset_id`: the preference
    // dataset of an sft-dpo run (dataset_id is the SFT one; for dpo alone dataset_id is DPO).
    // `stages`: finished steps ({ method, trainingFileId, validationFileId, jobId, model }).
    method: text("method"),
    stage: text("stage"),
    dpoDatasetId: uuid("dpo_dataset_id").references(() => datasets.id, { onDelete: "set null" }),
    stages: jsonb("stages").notNull().default([]),
    /**
     * Azure serves deployments, not models: the deployment that serves this run's fine-tuned model
     * (`feedback-replay-<iso week>` when the app deploys it, or the name a manager entered).
     */
    deploymentName: text("deployment_name"),
  },
  (t) => [index("retrain_runs_created_idx").on(t.createdAt)],
);

/**
 * A manager's choice on /retrain of where the weekly dataset goes and how it trains: one row
 * (id 1) or none. With a row it overrides FINE_TUNE_TARGET / FINE_TUNE_METHOD (and
 * FINE_TUNE_BASE_MODEL when base_model is set) for the page, the cron routes and the CLI alike
 * (lib/retrain/resolve-retrain-config.ts); deleting it goes back to the configuration. Every
 * change is audited (`retrain.settings`).
 */
export const retrainSettings = pgTable("retrain_settings", {
  id: integer("id").primaryKey().default(1),
  target: fineTuneTargetEnum("target").notNull(),
  /** sft, dpo or sft-dpo (validated against the target's methods before it is written). */
  method: text("method").notNull(),
  /** null: FINE_TUNE_BASE_MODEL. */
  baseModel: text("base_model"),
  updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "set null" }),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  check("retrain_settings_one_row", sql`${t.id} = 1`),
  check("retrain_settings_method", sql`${t.method} IN ('sft', 'dpo', 'sft-dpo')`),
]);

/** A candidate model version against the one active at the time, on a dataset's validation split. */
export const modelEvaluations = pgTable(
  "model_evaluations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    runId: uuid("run_id")
      .notNull()
      .references(() => retrainRuns.id, { onDelete: "cascade" }),
    candidateVersionId: uuid("candidate_version_id")
      .notNull()
      .references(() => modelVersions.id, { onDelete: "cascade" }),
    baselineVersionId: uuid("baseline_version_id")
      .notNull()
      .references(() => modelVersions.id, { onDelete: "cascade" }),
    examples: integer("examples").notNull(),
    candidateScore: doublePrecision("candidate_score").notNull(),
    baselineScore: doublePrecision("baseline_score").notNull(),
    pairwiseWins: integer("pairwise_wins"),
    pairwiseLosses: integer("pairwise_losses"),
    pairwiseTies: integer("pairwise_ties"),
    winner: text("winner").notNull(),
    /** Per-example scores and verdicts (no customer text). */
    report: jsonb("report").notNull(),
    decision: evaluationDecisionEnum("decision").notNull().default("pending"),
    decidedBy: uuid("decided_by").references(() => users.id, { onDelete: "set null" }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    createdAt: createdAt().notNull(),
  },
  (t) => [index("model_evaluations_run_idx").on(t.runId)],
);

// ── Helpdesk integrations (issue 16) ────────────────────────────────────────────────────────────

/** Each signed webhook event once, by the provider's event id: a redelivery stores nothing new. No text. */
export const helpdeskEvents = pgTable(
  "helpdesk_events",
  {
    source: text("source").notNull(),
    eventId: text("event_id").notNull(),
    kind: text("kind").notNull(),
    conversationId: text("conversation_id"),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.source, t.eventId] })],
);

/**
 * The parts of one exchange as they arrive, in any order, joined by conversation id: the customer's
 * message, the AI draft shown, the reply sent, an explicit label. Complete (message + draft +
 * reply) → one replay (`replay_id`); the conversation's next message opens a new exchange.
 */
export const helpdeskExchanges = pgTable(
  "helpdesk_exchanges",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    source: text("source").notNull(),
    conversationId: text("conversation_id").notNull(),
    message: text("message"),
    aiDraft: text("ai_draft"),
    agentReply: text("agent_reply"),
    agentEmail: text("agent_email"),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    explicitFeedback: feedbackEnum("explicit_feedback"),
    replayId: uuid("replay_id").references(() => feedbackReplayLog.id, { onDelete: "cascade" }),
    createdAt: createdAt().notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("helpdesk_exchanges_open_idx").on(t.source, t.conversationId).where(sql`${t.replayId} IS NULL`),
    index("helpdesk_exchanges_conversation_idx").on(t.source, t.conversationId, t.createdAt),
  ],
);

/** Per integration: the last event accepted and the last refusal with its reason (a fixed code, no body). */
export const integrationStatus = pgTable("integration_status", {
  source: text("source").primaryKey(),
  lastEventAt: timestamp("last_event_at", { withTimezone: true }),
  lastEventKind: text("last_event_kind"),
  eventsTotal: bigint("events_total", { mode: "number" }).notNull().default(0),
  lastRefusalAt: timestamp("last_refusal_at", { withTimezone: true }),
  lastRefusalReason: text("last_refusal_reason"),
  refusalsTotal: bigint("refusals_total", { mode: "number" }).notNull().default(0),
});

/** A history import's progress, by file (name + size + hash of its first 64 KiB): a rerun resumes. */
export const importRuns = pgTable("import_runs", {
  id: uuid("id").primaryKey().defaultRandom(),
  fileKey: text("file_key").notNull().unique(),
  fileName: text("file_name").notNull(),
  linesDone: bigint("lines_done", { mode: "number" }).notNull().default(0),
  bytesDone: bigint("bytes_done", { mode: "number" }).notNull().default(0),
  imported: bigint("imported", { mode: "number" }).notNull().default(0),
  duplicates: bigint("duplicates", { mode: "number" }).notNull().default(0),
  failed: bigint("failed", { mode: "number" }).notNull().default(0),
  status: text("status").notNull().default("running"),
  /** The first bad lines' numbers and reasons (never their text), for the admin page. */
  badLines: text("bad_lines").array().notNull().default(sql`'{}'::text[]`),
  startedAt: createdAt().notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

// --- The shared queue (issue 12) ------------------------------------------------------------------

/**
 * Who is working a pending replay, until when. One row per replay (the primary key): taking it is
 * one INSERT … ON CONFLICT DO UPDATE … WHERE the holder is the same agent or the hold has expired,
 * so two agents (or two app instances) can never both hold it.
 */
export const replayReservations = pgTable(
  "replay_reservations",
  {
    replayId: uuid("replay_id")
      .primaryKey()
      .references(() => feedbackReplayLog.id, { onDelete: "cascade" }),
    agentId: uuid("agent_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    reservedAt: timestamp("reserved_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("replay_reservations_agent_idx").on(t.agentId)],
);

// --- Dashboard: the loop's rollups (issue 14) ---

/**
 * Self-critiques per (UTC day of the replay's created_at, topic, model, agent, the AI's category):
 * done analyses, those an agent gave a category for (`rated`), and those where it matched
 * (`agreed`). Kept exact by statement-level triggers on failure_analyses
 * (drizzle/0015_dashboard_loop.sql); `analytics_rebuild_loop()` recomputes it.
 */
export const analyticsFailuresDaily = pgTable(
  "analytics_failures_daily",
  {
    day: date("day"),
    topic: text("topic"),
    model: text("model"),
    agentId: uuid("agent_id"),
    category: failureCategoryEnum("category"),
    analyses: counter("analyses"),
    rated: counter("rated"),
    agreed: counter("agreed"),
  },
  (t) => [unique("analytics_failures_daily_key").on(t.day, t.topic, t.model, t.agentId, t.category).nullsNotDistinct()],
);

/**
 * Review decisions per (UTC day of the example's replay, topic, model, agent): examples approved,
 * rejected and merged as duplicates. Same triggers' file; examples without a replay count under
 * their own day with no topic/model/agent, as in analytics_daily.
 */
export const analyticsReviewsDaily = pgTable(
  "analytics_reviews_daily",
  {
    day: date("day"),
    topic: text("topic"),
    model: text("model"),
    agentId: uuid("agent_id"),
    approved: counter("approved"),
    rejected: counter("rejected"),
    merged: counter("merged"),
  },
  (t) => [unique("analytics_reviews_daily_key").on(t.day, t.topic, t.model, t.agentId).nullsNotDistinct()],
);
