import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";

export const INTEGRATION_SOURCES = ["zendesk", "intercom", "webhook"] as const;
export type IntegrationSource = (typeof INTEGRATION_SOURCES)[number];

/** Events older (or further in the future) than this are refused: a captured request cannot be replayed later. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** Why a request was refused before its body was read as JSON; stored as the integration's last refusal. */
export type RefusalReason =
  | "secret_not_set"
  | "signature_missing"
  | "signature_invalid"
  | "timestamp_missing"
  | "timestamp_stale"
  | "payload_invalid"
  | "payload_too_large"
  | "unsupported_media_type";

export type Verdict = { ok: true } | { ok: false; reason: RefusalReason };

type Headers_ = (name: string) => string | null;

function equal(expected: Buffer, given: Buffer): boolean {
  // timingSafeEqual needs equal lengths; the length of a digest is not a secret.
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** A Unix time in seconds or an ISO 8601 time → seconds; null when it is neither. */
export function parseTimestamp(value: string): number | null {
  if (/^\d{9,11}$/.test(value)) return Number(value);
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
}

export function isFresh(seconds: number, now: number = Date.now()): boolean {
  return Math.abs(now / 1000 - seconds) <= SIGNATURE_TOLERANCE_SECONDS;
}

/**
 * Zendesk: `X-Zendesk-Webhook-Signature` = base64(HMAC-SHA256(secret, timestamp + raw body)), with
 * the timestamp in `X-Zendesk-Webhook-Signature-Timestamp` (ISO 8601).
 */
export function verifyZendesk(secret: string, header: Headers_, raw: Buffer, now?: number): Verdict {
  const signature = header("x-zendesk-webhook-signature");
  const timestamp = header("x-zendesk-webhook-signature-timestamp");
  if (!signature) return { ok: false, reason: "signature_missing" };
  if (!timestamp) return { ok: false, reason: "timestamp_missing" };
  const expected = createHmac("sha256", secret).update(timestamp).update(raw).digest();
  if (!equal(expected, Buffer.from(signature, "base64"))) return { ok: false, reason: "signature_invalid" };
  const seconds = parseTimestamp(timestamp);
  if (seconds === null || !isFresh(seconds, now)) return { ok: false, reason: "timestamp_stale" };
  return { ok: true };
}

/**
 * Intercom: `X-Hub-Signature` = "sha1=" + hex(HMAC-SHA1(client secret, raw body)). The time is
 * the notification's `created_at` inside the signed body: checked after parsing (isFresh).
 */
export function verifyIntercom(secret: string, header: Headers_, raw: Buffer): Verdict {
  const signature = header("x-hub-signature");
  if (!signature) return { ok: false, reason: "signature_missing" };
  const match = /^sha1=([0-9a-f]{40})$/i.exec(signature.trim());
  const expected = createHmac("sha1", secret).update(raw).digest();
  if (!match || !equal(expected, Buffer.from(match[1]!, "hex"))) return { ok: false, reason: "signature_invalid" };
  return { ok: true };
}

/**
 * Ours (the generic webhook): `X-Feedback-Replay-Timestamp: <Unix seconds>` and
 * `X-Feedback-Replay-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>`.
 */
export function verifyGeneric(secret: string, header: Headers_, raw: Buffer, now?: number): Verdict {
  const signature = header("x-feedback-replay-signature");
  const timestamp = header("x-feedback-replay-timestamp");
  if (!signature) return { ok: false, reason: "signature_missing" };
  if (!timestamp) return { ok: false, reason: "timestamp_missing" };
  const match = /^v1=([0-9a-f]{64})$/i.exec(signature.trim());
  const expected = createHmac("sha256", secret).update(`${timestamp}.`).update(raw).digest();
  if (!match || !equal(expected, Buffer.from(match[1]!, "hex"))) return { ok: false, reason: "signature_invalid" };
  const seconds = /^\d{9,11}$/.test(timestamp) ? Number(timestamp) : null;
  if (seconds === null || !isFresh(seconds, now)) return { ok: false, reason: "timestamp_stale" };
  return { ok: true };
}

/** Headers that sign `raw` for `source` (the admin page's test event, tests, the README's curl). */
export function signBody(source: IntegrationSource, secret: string, raw: string, now: number = Date.now()): Record<string, string> {
  if (source === "zendesk") {
    const timestamp = new Date(now).toISOString().replace(/\.\d{3}Z$/, "Z");
    return {
      "x-zendesk-webhook-signature": createHmac("sha256", secret).update(timestamp).update(raw).digest("base64"),
      "x-zendesk-webhook-signature-timestamp": timestamp,
    };
  }
  if (source === "intercom") return { "x-hub-signature": `sha1=${createHmac("sha1", secret).update(raw).digest("hex")}` };
  const timestamp = String(Math.floor(now / 1000));
  return {
    "x-feedback-replay-timestamp": timestamp,
    "x-feedback-replay-signature": `v1=${createHmac("sha256", secret).update(`${timestamp}.`).update(raw).digest("hex")}`,
  };
}
