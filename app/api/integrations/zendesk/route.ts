import { integrationWebhookRoute } from "@/lib/integrations/handle-integration-webhook";

export const dynamic = "force-dynamic";

/** Signed by the helpdesk (see README, "Helpdesk integrations"); verified over the raw body before parsing. */
export const POST = integrationWebhookRoute("zendesk");
