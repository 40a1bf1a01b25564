import "server-only";
import { randomUUID } from "node:crypto";
import { UserError } from "@/lib/errors";
import { handleIntegrationWebhook, integrationSecret } from "@/lib/integrations/handle-integration-webhook";
import { signBody, type IntegrationSource } from "@/lib/integrations/verify-signature";

/** A "ping" in each provider's own shape: it checks the secret and the endpoint, and writes no replay. */
function pingBody(source: IntegrationSource): string {
  const id = `test_${randomUUID()}`;
  if (source === "intercom") {
    return JSON.stringify({ type: "notification_event", id: `notif_${id}`, topic: "ping", created_at: Math.floor(Date.now() / 1000), data: { item: { type: "ping", message: "Test from Feedback Replay" } } });
  }
  return JSON.stringify({ id, type: "ping" });
}

/**
 * Sends a signed test event through the integration's own handler (signature check, event id,
 * status), as the helpdesk would. Refused when the secret is not set; the answer says how it went.
 */
export async function sendTestEvent(source: IntegrationSource): Promise<{ status: number; accepted: boolean; message: string }> {
  const secret = integrationSecret(source);
  if (!secret) throw new UserError({ code: "secret_not_set", status: 409, message: "Set this integration's secret on the server first (see README)." });
  const raw = pingBody(source);
  const headers: Record<string, string> = { "content-type": "application/json", ...signBody(source, secret, raw) };
  const response = await handleIntegrationWebhook(source, { header: (name) => headers[name.toLowerCase()] ?? null, readBody: async () => Buffer.from(raw) });
  const accepted = response.status === 200;
  return { status: response.status, accepted, message: accepted ? "Test event received and verified." : "The test event was refused: see the last refusal." };
}
