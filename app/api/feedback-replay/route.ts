import { collectBody } from "@/lib/api/read-json-body";
import { scheduleFailureAnalysis } from "@/lib/ai/schedule-failure-analysis";
import { handleFeedbackReplay } from "@/lib/feedback/ingest/handle-feedback-replay";

export const dynamic = "force-dynamic";

/**
 * The helpdesk reports a sent reply: `Authorization: Bearer <key>` with the feedback:write scope.
 * In production `npm start` answers this path in its front server without entering Next.js
 * (same handler); this route serves `npm run dev` and hosts that run Next.js alone.
 */
export async function POST(request: Request) {
  const response = await handleFeedbackReplay({
    header: (name) => request.headers.get(name),
    readBody: (maxBytes) =>
      request.body
        ? collectBody(request.body as unknown as AsyncIterable<Uint8Array>, maxBytes, () => void request.body!.cancel().catch(() => {}))
        : Promise.resolve(Buffer.alloc(0)),
  });
  // The self-critique runs after the response; its pending row was written with the replay.
  if (response.analyse) scheduleFailureAnalysis(response.analyse);
  return Response.json(response.body, { status: response.status, headers: response.headers });
}
