import { collectBody } from "@/lib/api/read-json-body";
import { handleIntegrationWebhook } from "@/lib/integrations/handle-integration-webhook";

export const dynamic = "force-dynamic";

/** Signed by the helpdesk (see README, "Helpdesk integrations"); verified over the raw body before parsing. */
export async function POST(request: Request) {
  const response = await handleIntegrationWebhook("webhook", {
    header: (name) => request.headers.get(name),
    readBody: (maxBytes) =>
      request.body
        ? collectBody(request.body as unknown as AsyncIterable<Uint8Array>, maxBytes, () => void request.body!.cancel().catch(() => {}))
        : Promise.resolve(Buffer.alloc(0)),
  });
  return Response.json(response.body, { status: response.status });
}
