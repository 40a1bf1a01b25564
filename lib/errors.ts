import { randomUUID } from "node:crypto";

export type FieldIssue = { path: string; message: string };

/**
 * The one error type whose message a user may see. Anything else is logged with a request id
 * and shown as a generic message: never echo the message of an unknown error.
 */
export class UserError extends Error {
  readonly code: string;
  readonly status: number;
  readonly issues: FieldIssue[];

  constructor({
    code,
    message,
    status = 400,
    issues = [],
  }: {
    code: string;
    message: string;
    status?: number;
    issues?: FieldIssue[];
  }) {
    super(message);
    this.name = "UserError";
    this.code = code;
    this.status = status;
    this.issues = issues;
  }
}

export type ErrorBody = { error: { code: string; message: string; issues?: FieldIssue[]; requestId?: string } };

/** Seconds a caller is asked to wait (Retry-After) when the database is unavailable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

// Socket errors and PostgreSQL's SQLSTATEs for "the server is not there (now)": class 08
// (connection exception), 57P01–57P03 (shutdown, crash, starting up), 53300 (too many connections).
const OUTAGE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH", "EAI_AGAIN", "57P01", "57P02", "57P03", "53300"]);
const OUTAGE_MESSAGES = [/^Connection terminated/, /timeout exceeded when trying to connect/, /Client has encountered a connection error/, /Cannot use a pool after calling end/, /Client was closed and is not queryable/, /the database system is (starting up|shutting down|in recovery mode)/];

/**
 * Whether `error` (or any error in its `cause` chain: Drizzle wraps pg's) says the database is
 * unreachable, restarting or refusing connections, rather than that a query is wrong. The one
 * outage classifier: routes answer 503 `database_unavailable` with Retry-After, pages say so.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (OUTAGE_CODES.has(code) || code.startsWith("08"))) return true;
    if (OUTAGE_MESSAGES.some((pattern) => pattern.test(e instanceof Error ? e.message : ""))) return true;
  }
  return false;
}

// An outage fails every request at once: one log line per 5 s says so, with how many were refused.
let outageLoggedAt = 0;
let outageRefused = 0;
function logOutage(context: string, error: unknown) {
  outageRefused++;
  if (Date.now() - outageLoggedAt < 5_000) return;
  console.error(`[${context}] database unavailable (${outageRefused} request(s) answered 503 since the last report):`, error instanceof Error ? error.message : error);
  outageLoggedAt = Date.now();
  outageRefused = 0;
}

/** Turns any thrown value into what a caller may see, logging what they may not. */
export function toErrorBody(
  error: unknown,
  context: string,
): { status: number; body: ErrorBody; headers: Record<string, string> } {
  if (error instanceof UserError) {
    return {
      status: error.status,
      body: { error: { code: error.code, message: error.message, issues: error.issues } },
      headers: {},
    };
  }
  if (isDatabaseUnavailable(error)) {
    logOutage(context, error);
    return {
      status: 503,
      body: {
        error: {
          code: "database_unavailable",
          message: `The database is unavailable right now; nothing was stored by this request. Try again in ${DATABASE_RETRY_AFTER_SECONDS} seconds.`,
        },
      },
      headers: { "Retry-After": String(DATABASE_RETRY_AFTER_SECONDS) },
    };
  }
  const requestId = randomUUID();
  console.error(`[${context}] request ${requestId} failed:`, error);
  return {
    status: 500,
    headers: {},
    body: {
      error: {
        code: "internal_error",
        message: `Something went wrong on our side. Try again; if it keeps failing, quote request id ${requestId}.`,
        requestId,
      },
    },
  };
}
