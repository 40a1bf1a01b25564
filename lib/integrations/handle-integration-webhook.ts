import "server-only";
import { checkJsonHeaders, collectBody, parseJsonBody } from "@/lib/api/read-json-body";
import { getPool } from "@/lib/db/client";
import { readEnv } from "@/lib/env";
import { toErrorBody, UserError } from "@/lib/errors";
import { applyHelpdeskEvent } from "@/lib/integrations/apply-helpdesk-event";
import { fromIntercom, fromZendesk } from "@/lib/integrations/read-provider-events";
import { fromGeneric, genericEventSchema, intercomNotificationSchema, zendeskEventSchema, type HelpdeskEvent } from "@/lib/integrations/schemas";
import {
  isFresh,
  verifyGeneric,
  verifyIntercom,
  verifyZendesk,
  type IntegrationSource,
  type RefusalReason,
  type Verdict,
} from "@/lib/integrations/verify-signature";

export type WebhookRequest = { header: (name: string) => string | null; readBody: (maxBytes: number) => Promise<Buffer> };
export type WebhookResponse = { status: number; body: unknown };

export function integrationSecret(source: IntegrationSource): string | undefined {
  const env = readEnv();
  return source === "zendesk" ? env.ZENDESK_WEBHOOK_SECRET : source === "intercom" ? env.INTERCOM_CLIENT_SECRET : env.HELPDESK_WEBHOOK_SECRET;
}

const MESSAGES: Record<RefusalReason, string> = {
  secret_not_set: "This integration is not configured: its secret is not set on the server.",
  signature_missing: "The request is not signed: the signature header is missing.",
  signature_invalid: "The signature does not match the body: check the secret.",
  timestamp_missing: "The signature timestamp header is missing.",
  timestamp_stale: "The event is older than 5 minutes (or its time is not valid): refused as a possible replay.",
  payload_invalid: "The body is not an event this endpoint understands.",
  payload_too_large: "The body is too large.",
  unsupported_media_type: "Send the body as JSON with `Content-Type: application/json`.",
};

/**
 * Records why a request was refused (a fixed code and the time, never the body) so the admin page
 * can show it. Best effort: a refusal is answered even when this write fails.
 */
async function recordRefusal(source: IntegrationSource, reason: RefusalReason): Promise<void> {
  await getPool()
    .query(
      `INSERT INTO integration_status (source, last_refusal_at, last_refusal_reason, refusals_total) VALUES ($1, now(), $2, 1)
       ON CONFLICT (source) DO UPDATE SET last_refusal_at = now(), last_refusal_reason = $2, refusals_total = integration_status.refusals_total + 1`,
      [source, reason],
    )
    .catch(() => {});
}

function verify(source: IntegrationSource, secret: string, request: WebhookRequest, raw: Buffer): Verdict {
  if (source === "zendesk") return verifyZendesk(secret, request.header, raw);
  if (source === "intercom") return verifyIntercom(secret, request.header, raw);
  return verifyGeneric(secret, request.header, raw);
}

function toEvent(source: IntegrationSource, raw: Buffer): HelpdeskEvent {
  if (source === "intercom") return fromIntercom(parseJsonBody(raw, intercomNotificationSchema));
  if (source === "webhook") return fromGeneric(parseJsonBody(raw, genericEventSchema));
  // Zendesk: an event webhook, or a trigger's JSON body written in our generic shape (README).
  const text = raw.toString("utf8");
  return /"type"\s*:\s*"zen:event-type:/.test(text) ? fromZendesk(parseJsonBody(raw, zendeskEventSchema)) : fromGeneric(parseJsonBody(raw, genericEventSchema));
}

/**
 * POST /api/integrations/{zendesk,intercom,webhook}. The signature is checked over the raw bytes
 * before anything is parsed; a refused request stores nothing but the integration's last refusal
 * (integration_status). A redelivered event id → 200 `{ duplicate: true }` and nothing new.
 */
export async function handleIntegrationWebhook(source: IntegrationSource, request: WebhookRequest): Promise<WebhookResponse> {
  const refuse = async (reason: RefusalReason, status: number): Promise<WebhookResponse> => {
    await recordRefusal(source, reason);
    return { status, body: { error: { code: reason, message: MESSAGES[reason] } } };
  };
  try {
    const secret = integrationSecret(source);
    if (!secret) return await refuse("secret_not_set", 503);
    const maxBytes = readEnv().API_MAX_BODY_BYTES;
    try {
      checkJsonHeaders(request.header("content-type"), request.header("content-length"), maxBytes);
    } catch (error) {
      return await refuse(error instanceof UserError && error.status === 413 ? "payload_too_large" : "unsupported_media_type", error instanceof UserError ? error.status : 400);
    }
    let raw: Buffer;
    try {
      raw = await request.readBody(maxBytes);
    } catch (error) {
      if (error instanceof UserError && error.status === 413) return await refuse("payload_too_large", 413);
      throw error;
    }
    const verdict = verify(source, secret, request, raw);
    if (!verdict.ok) return await refuse(verdict.reason, 401);
    let event: HelpdeskEvent;
    try {
      event = toEvent(source, raw);
    } catch (error) {
      if (error instanceof UserError) {
        await recordRefusal(source, "payload_invalid");
        return { status: error.status, body: toErrorBody(error, `api/integrations/${source}`).body };
      }
      throw error;
    }
    // Intercom signs no timestamp header: the notification's own created_at is the time checked.
    if (source === "intercom" && (event.occurredAt === null || !isFresh(event.occurredAt))) return await refuse("timestamp_stale", 401);
    const applied = await applyHelpdeskEvent(source, event);
    return { status: 200, body: { ok: true, duplicate: applied.duplicate, kind: event.kind, replayId: applied.replayId ?? applied.relabelled } };
  } catch (error) {
    const { status, body } = toErrorBody(error, `api/integrations/${source}`);
    return { status, body };
  }
}

/**
 * The route handler of one integration (app/api/integrations/<source>/route.ts): the raw body,
 * bounded, handed to handleIntegrationWebhook, which verifies the signature before parsing.
 */
export function integrationWebhookRoute(source: IntegrationSource): (request: Request) => Promise<Response> {
  return async (request) => {
    const response = await handleIntegrationWebhook(source, {
      header: (name) => request.headers.get(name),
      readBody: (maxBytes) =>
        request.body
          ? collectBody(request.body as unknown as AsyncIterable<Uint8Array>, maxBytes, () => void request.body!.cancel().catch(() => {}))
          : Promise.resolve(Buffer.alloc(0)),
    });
    return Response.json(response.body, { status: response.status });
  };
}
