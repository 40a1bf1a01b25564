import { randomUUID } from "node:crypto";
import type { ApiScope } from "@/lib/api-keys/schemas";
import type { Role } from "@/lib/auth/roles";
import { registerModelVersion } from "@/lib/ai/register-model-version";
import { storeFeedbackReplay, storeTrainingExample } from "@/lib/feedback/storage";
import { createKey, createPendingReplay, unique } from "../support/factories";
import { isoWeek } from "@/lib/retrain/iso-week";
import { createAwaitingDeploymentRun, createHeldRun, createPendingEvaluation } from "../support/retrain-factories";
import { createPromptGroup } from "../support/training-factories";
import { getPool } from "@/lib/db/client";

/**
 * EVERY route handler, server action and page of the app, with who may call it. The suite in
 * endpoints.test.ts attacks each entry: no session, each wrong role, a forged session cookie, a
 * revoked or wrong-scope API key, a wrong cron secret, oversized, malformed and HTML bodies.
 *
 * Adding an endpoint = adding one line here. The one exception is /api/auth/[...nextauth]
 * (next-auth's own handler, public by design), covered by sign-in.test.ts and the SSO e2e.
 * Each entry is also called once by the right caller (the control that the refusals mean
 * something), so its `body`/`args` must be valid and its side effects acceptable in a test.
 *
 * Shapes, for example:
 *   { method: "POST", path: "/api/suggestions", load: () => import("@/app/api/suggestions/route"),
 *     access: { kind: "api-key", scope: "suggest" }, body: () => ({ message: unique("Where is my order?") }) },
 *   { method: "GET", path: "/api/training/export", load: () => import("@/app/api/training/export/route"),
 *     access: { kind: "session-or-api-key", role: "manager", scope: "training:export" } },
 *   { method: "GET", path: "/api/cron/retrain", load: () => import("@/app/api/cron/retrain/route"), access: { kind: "cron" } },
 *   { id: "app/training/actions.ts#approveExampleAction", load: () => import("@/app/training/actions"), role: "manager",
 *     args: async () => [{ id: (await createTrainingExample()).id }] },
 */

export type Access =
  | { kind: "public" }
  | { kind: "session"; role: Role }
  | { kind: "api-key"; scope: ApiScope }
  | { kind: "session-or-api-key"; role: Role; scope: ApiScope }
  | { kind: "cron" }
  /** a helpdesk webhook: signed with the integration's secret over the raw body (lib/integrations/verify-signature.ts) */
  | { kind: "signed"; source: "zendesk" | "intercom" | "webhook" };

type Module = Record<string, unknown>;

export type RouteEntry = {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** as served, with dynamic segments filled in; query string allowed */
  path: string;
  load: () => Promise<Module>;
  access: Access;
  /** dynamic route segments, as Next.js passes them (a function may create the row they name) */
  params?: Record<string, string | string[]> | (() => Promise<Record<string, string | string[]>>);
  /** a valid JSON body: with it, the oversized / malformed / HTML body attacks run too */
  body?: () => unknown | Promise<unknown>;
};

export type ActionEntry = {
  /** file and export name, e.g. app/replays/actions.ts#submitFeedbackAction */
  id: string;
  load: () => Promise<Module>;
  role: Role;
  /** valid arguments (may create the rows they refer to) */
  args: () => unknown[] | Promise<unknown[]>;
  /**
   * What the right role's call with `args` gives (default "allowed"). "invalid" only where success
   * needs a provider the suite has not got: the call got past the caller check and was refused by
   * state (409), and the action's success is tested elsewhere against a protocol server.
   */
  control?: "allowed" | "invalid";
};

export type PageEntry = {
  path: string;
  load: () => Promise<Module>;
  role: Role;
  /** dynamic route segments (a function may create the row they name) */
  params?: () => Promise<Record<string, string>>;
};

export const ROUTES: RouteEntry[] = [
  { method: "GET", path: "/api/health", load: () => import("@/app/api/health/route"), access: { kind: "public" } },
  { method: "GET", path: "/api/queue?order=newest", load: () => import("@/app/api/queue/route"), access: { kind: "session", role: "agent" } },
  {
    method: "POST",
    path: "/api/feedback-replay",
    load: () => import("@/app/api/feedback-replay/route"),
    access: { kind: "api-key", scope: "feedback:write" },
    body: () => ({ message: unique("Where is my parcel?"), aiReply: "On its way.", agentReply: "Reshipped today.", feedback: "no", ticketId: unique("SEC") }),
  },
  { method: "GET", path: "/api/cron/ping", load: () => import("@/app/api/cron/ping/route"), access: { kind: "cron" } },
  { method: "GET", path: "/api/cron/analyses", load: () => import("@/app/api/cron/analyses/route"), access: { kind: "cron" } },
  { method: "GET", path: "/api/cron/retrain", load: () => import("@/app/api/cron/retrain/route"), access: { kind: "cron" } },
  { method: "GET", path: "/api/cron/fine-tunes", load: () => import("@/app/api/cron/fine-tunes/route"), access: { kind: "cron" } },
  {
    method: "GET",
    path: "/api/training/export?source=approved",
    load: () => import("@/app/api/training/export/route"),
    access: { kind: "session-or-api-key", role: "manager", scope: "training:export" },
  },
  {
    method: "GET",
    path: "/dashboard/export/usefulness",
    load: () => import("@/app/dashboard/export/[panel]/route"),
    access: { kind: "session", role: "manager" },
    params: { panel: "usefulness" },
  },
  {
    method: "POST",
    path: "/api/suggestions",
    load: () => import("@/app/api/suggestions/route"),
    access: { kind: "api-key", scope: "suggest" },
    body: () => ({ message: unique("Where is my order?"), ticketId: unique("SEC") }),
  },
  {
    method: "POST",
    path: "/api/replays/[id]/suggestion",
    load: () => import("@/app/api/replays/[id]/suggestion/route"),
    access: { kind: "session", role: "agent" },
    params: async () => ({ id: (await createPendingReplay()).id }),
  },
  // The shared queue (issue 12): push to open queues, and letting go of a replay on leaving the page.
  { method: "GET", path: "/api/queue/events", load: () => import("@/app/api/queue/events/route"), access: { kind: "session", role: "agent" } },
  {
    method: "DELETE",
    path: "/api/replays/[id]/reservation",
    load: () => import("@/app/api/replays/[id]/reservation/route"),
    access: { kind: "session", role: "agent" },
    params: async () => ({ id: (await createPendingReplay()).id }),
  },
];

export const ACTIONS: ActionEntry[] = [
  {
    id: "app/replays/actions.ts#submitFeedbackAction",
    load: () => import("@/app/replays/actions"),
    role: "agent",
    args: async () => [{ replayId: (await createPendingReplay()).id, submissionId: randomUUID(), feedback: "no", agentReply: "A better reply." }],
  },
  {
    id: "app/admin/api-keys/actions.ts#createApiKeyAction",
    load: () => import("@/app/admin/api-keys/actions"),
    role: "admin",
    args: () => [{ name: unique("security key"), scopes: ["feedback:write"] }],
  },
  {
    id: "app/admin/api-keys/actions.ts#revokeApiKeyAction",
    load: () => import("@/app/admin/api-keys/actions"),
    role: "admin",
    args: async () => [{ id: (await createKey()).id }],
  },
  // The shared queue (issue 12).
  { id: "app/replays/actions.ts#reserveReplayAction", load: () => import("@/app/replays/actions"), role: "agent", args: async () => [{ replayId: (await createPendingReplay()).id }] },
  { id: "app/replays/actions.ts#releaseReplayAction", load: () => import("@/app/replays/actions"), role: "agent", args: async () => [{ replayId: (await createPendingReplay()).id }] },
];

const exampleIds = async (n: number) =>
  Promise.all(Array.from({ length: n }, async () => (await storeTrainingExample({ prompt: unique("Where is my refund?"), completion: unique("Refunded today.") })).id));

ACTIONS.push(
  {
    id: "app/training/review/actions.ts#reviewExamplesAction",
    load: () => import("@/app/training/review/actions"),
    role: "manager",
    args: async () => [{ ids: await exampleIds(2), decision: "approve" }],
  },
  {
    id: "app/training/review/actions.ts#editCompletionAction",
    load: () => import("@/app/training/review/actions"),
    role: "manager",
    args: async () => [{ id: (await exampleIds(1))[0], completion: "A better, complete reply." }],
  },
  {
    id: "app/training/review/actions.ts#mergeExamplesAction",
    load: () => import("@/app/training/review/actions"),
    role: "manager",
    args: async () => {
      const [keep, duplicate] = await exampleIds(2);
      return [{ ids: [duplicate], into: keep }];
    },
  },
  {
    id: "app/training/review/actions.ts#exampleDetailAction",
    load: () => import("@/app/training/review/actions"),
    role: "manager",
    args: async () => [(await exampleIds(1))[0]],
  },
);

ACTIONS.push(
  {
    id: "app/models/actions.ts#activateModelVersionAction",
    load: () => import("@/app/models/actions"),
    role: "manager",
    args: async () => [{ id: (await registerModelVersion({ provider: "local", name: "local-retrieval", version: unique("sec") })).id }],
  },
  // app/history/actions.ts (correctCategoryAction, retryAnalysisAction) are open to agents for their
  // own replays only; that ownership rule is tested in tests/integration/ai-analysis.test.ts.
);

// weekly retrain
ACTIONS.push(
  { id: "app/retrain/actions.ts#runRetrainNowAction", load: () => import("@/app/retrain/actions"), role: "manager", args: () => [{ isoWeek: isoWeek(new Date()) }] },
  { id: "app/retrain/actions.ts#approveRetrainRunAction", load: () => import("@/app/retrain/actions"), role: "manager", args: async () => [{ runId: (await createHeldRun()).id }] },
  { id: "app/retrain/actions.ts#retryRetrainRunAction", load: () => import("@/app/retrain/actions"), role: "manager", args: async () => [{ runId: (await createHeldRun("failed")).id }] },
  // fine-tune targets (issue 13): a held run has no job, so an allowed caller gets a 409 and nothing changes
  { id: "app/retrain/actions.ts#cancelRetrainRunAction", load: () => import("@/app/retrain/actions"), role: "manager", args: async () => [{ runId: (await createHeldRun()).id }], control: "invalid" }, // cancelling a job needs its provider: tests/integration/fine-tune-targets.test.ts
  { id: "app/retrain/actions.ts#decideEvaluationAction", load: () => import("@/app/retrain/actions"), role: "manager", args: async () => [{ evaluationId: (await createPendingEvaluation()).id, decision: "discard" }] },
  // the local target and SFT: what this suite's database trains anyway, so the entries after it run as before
  // Azure without management credentials: the manager enters the deployment made for the model (the evaluation after it: tests/integration/azure-deployment.test.ts)
  { id: "app/retrain/actions.ts#recordAzureDeploymentAction", load: () => import("@/app/retrain/actions"), role: "manager", args: async () => [{ runId: (await createAwaitingDeploymentRun()).id, deploymentName: "feedback-replay-security" }] },
  { id: "app/retrain/actions.ts#saveRetrainSettingAction", load: () => import("@/app/retrain/actions"), role: "manager", args: () => [{ use: "page", target: "local", method: "sft" }] },
);

// a manager's grouping decisions (/training/groups/[groupId])
ACTIONS.push(
  {
    id: "app/training/groups/[groupId]/actions.ts#splitGroupAction",
    load: () => import("@/app/training/groups/[groupId]/actions"),
    role: "manager",
    args: async () => {
      const group = await createPromptGroup(2);
      return [{ groupId: group.id, hashes: [group.hashes[1]] }];
    },
  },
  {
    id: "app/training/groups/[groupId]/actions.ts#moveWordingsAction",
    load: () => import("@/app/training/groups/[groupId]/actions"),
    role: "manager",
    args: async () => {
      const [from, into] = [await createPromptGroup(2), await createPromptGroup(1)];
      return [{ groupId: from.id, hashes: [from.hashes[0]], into: into.id }];
    },
  },
  {
    id: "app/training/groups/[groupId]/actions.ts#releasePinsAction",
    load: () => import("@/app/training/groups/[groupId]/actions"),
    role: "manager",
    args: async () => {
      const group = await createPromptGroup(1);
      await getPool().query("INSERT INTO prompt_group_pins (prompt_hash, prompt_group_id) VALUES ($1, $2)", [group.hashes[0], group.id]);
      return [{ groupId: group.id }];
    },
  },
  {
    id: "app/training/groups/[groupId]/actions.ts#mergeGroupsAction",
    load: () => import("@/app/training/groups/[groupId]/actions"),
    role: "manager",
    args: async () => [{ groupId: (await createPromptGroup(1)).id, into: (await createPromptGroup(1)).id }],
  },
);

// helpdesk integrations (issue 16): signed webhooks, the admin's history upload and test event
const helpdeskMessage = () => ({ id: unique("evt").replaceAll(" ", "-"), type: "customer.message", conversationId: unique("C"), text: unique("Where is my parcel?") });
ROUTES.push(
  { method: "POST", path: "/api/integrations/zendesk", load: () => import("@/app/api/integrations/zendesk/route"), access: { kind: "signed", source: "zendesk" }, body: helpdeskMessage },
  {
    method: "POST",
    path: "/api/integrations/intercom",
    load: () => import("@/app/api/integrations/intercom/route"),
    access: { kind: "signed", source: "intercom" },
    body: () => ({
      type: "notification_event",
      id: unique("notif").replaceAll(" ", "_"),
      topic: "conversation.user.replied",
      created_at: Math.floor(Date.now() / 1000),
      data: { item: { type: "conversation", id: unique("C"), conversation_parts: { conversation_parts: [{ part_type: "comment", body: "<p>Where is my parcel?</p>", author: { type: "user" } }] } } },
    }),
  },
  { method: "POST", path: "/api/integrations/webhook", load: () => import("@/app/api/integrations/webhook/route"), access: { kind: "signed", source: "webhook" }, body: helpdeskMessage },
  // The body is the history file itself (not JSON): the JSON body attacks do not apply; an empty upload is the control.
  { method: "POST", path: "/api/integrations/import?format=jsonl&name=history.jsonl", load: () => import("@/app/api/integrations/import/route"), access: { kind: "session", role: "admin" } },
);
ACTIONS.push({ id: "app/admin/integrations/actions.ts#sendTestEventAction", load: () => import("@/app/admin/integrations/actions"), role: "admin", args: () => [{ source: "webhook" }] });

export const PAGES: PageEntry[] = [
  { path: "/history", load: () => import("@/app/history/page"), role: "agent" },
  { path: "/models", load: () => import("@/app/models/page"), role: "manager" },
  { path: "/retrain", load: () => import("@/app/retrain/page"), role: "manager" },
  { path: "/dashboard", load: () => import("@/app/dashboard/page"), role: "manager" },
  { path: "/training", load: () => import("@/app/training/page"), role: "manager" },
  { path: "/training/review", load: () => import("@/app/training/review/page"), role: "manager" },
  { path: "/training/datasets", load: () => import("@/app/training/datasets/page"), role: "manager" },
  {
    path: "/training/groups/[groupId]",
    load: () => import("@/app/training/groups/[groupId]/page"),
    role: "manager",
    params: async () => ({ groupId: (await createPromptGroup(2)).id }),
  },
  { path: "/replays", load: () => import("@/app/replays/page"), role: "agent" },
  { path: "/admin", load: () => import("@/app/admin/page"), role: "admin" },
  { path: "/admin/users", load: () => import("@/app/admin/users/page"), role: "admin" },
  { path: "/admin/api-keys", load: () => import("@/app/admin/api-keys/page"), role: "admin" },
  { path: "/admin/audit", load: () => import("@/app/admin/audit/page"), role: "admin" },
  { path: "/admin/integrations", load: () => import("@/app/admin/integrations/page"), role: "admin" },
];

// Dashboard loop panels (issue 14): their CSVs go through the one export route, each panel by name.
ROUTES.push(
  ...(["failures", "runs", "funnel"] as const).map((panel) => ({
    method: "GET" as const,
    path: `/dashboard/export/${panel}`,
    load: () => import("@/app/dashboard/export/[panel]/route"),
    access: { kind: "session" as const, role: "manager" as const },
    params: { panel },
  })),
);
