import { jsonError } from "@/lib/api/json-error";
import { requireUser } from "@/lib/auth/session";
import { readEnv } from "@/lib/env";
import { UserError } from "@/lib/errors";
import { getQueueEvents } from "@/lib/feedback/queue-events";
import { enforceRateLimit } from "@/lib/rate-limit/enforce-rate-limit";

export const dynamic = "force-dynamic";

const HEARTBEAT_MS = 25_000;
// A stream ends after 10 minutes and the browser reconnects (EventSource does so by itself), so a
// session that has ended or lost its role stops receiving within that time.
const MAX_STREAM_MS = 10 * 60_000;

/**
 * Server-sent events for the replay view: `ready`, `down`, `replays`, `reservations` (see
 * lib/feedback/queue-events.ts). The events carry no replay data; the view fetches /api/queue as
 * the signed-in agent. Signed-in agents and up. `Cache-Control: no-transform` keeps compression
 * (and proxies that honour it) from buffering the stream.
 */
export async function GET(request: Request) {
  try {
    const user = await requireUser("agent");
    await enforceRateLimit({ bucket: "api", key: "user:" + user.id });
    if (readEnv().QUEUE_PUSH === "off") {
      throw new UserError({ code: "push_unavailable", status: 503, message: "Push is turned off (QUEUE_PUSH=off); the queue polls instead." });
    }
    const encoder = new TextEncoder();
    let stop = () => {};
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        const send = (text: string) => {
          try {
            controller.enqueue(encoder.encode(text));
          } catch {
            stop();
          }
        };
        send(`retry: 3000\n\n`);
        const unsubscribe = getQueueEvents().subscribe((event) => send(`event: ${event}\ndata: {}\n\n`));
        const heartbeat = setInterval(() => send(`: keep-alive\n\n`), HEARTBEAT_MS);
        const end = setTimeout(() => {
          stop();
          try {
            controller.close();
          } catch {}
        }, MAX_STREAM_MS);
        stop = () => {
          unsubscribe();
          clearInterval(heartbeat);
          clearTimeout(end);
        };
        request.signal.addEventListener("abort", () => {
          stop();
          try {
            controller.close();
          } catch {}
        });
      },
      cancel() {
        stop();
      },
    });
    return new Response(stream, {
      headers: {
        "Content-Type": "text/event-stream; charset=utf-8",
        "Cache-Control": "no-store, no-transform",
        "X-Accel-Buffering": "no",
      },
    });
  } catch (error) {
    return jsonError(error, "api/queue/events");
  }
}
