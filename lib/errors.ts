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

/** Turns any thrown value into what a caller may see, logging what they may not. */
export function toErrorBody(error: unknown, context: string): { status: number; body: ErrorBody } {
  if (error instanceof UserError) {
    return {
      status: error.status,
      body: { error: { code: error.code, message: error.message, issues: error.issues } },
    };
  }
  const requestId = randomUUID();
  console.error(`[${context}] request ${requestId} failed:`, error);
  return {
    status: 500,
    body: {
      error: {
        code: "internal_error",
        message: `Something went wrong on our side. Try again; if it keeps failing, quote request id ${requestId}.`,
        requestId,
      },
    },
  };
}
