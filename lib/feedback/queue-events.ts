import "server-only";
import pg from "pg";
import { databaseUrl } from "@/lib/db/client";

/**
 * What an open queue hears: `ready` when this process listens (again: events may have been missed,
 * fetch the queue), `down` when it lost its listening connection (poll until `ready`), and
 * `replays` / `reservations` when another statement, on any app instance, changed the queue.
 */
export type QueueEvent = "ready" | "down" | "replays" | "reservations";

export type QueueEvents = {
  /** Calls `listener` on every event until the returned function is called; `ready` at once when listening. */
  subscribe: (listener: (event: QueueEvent) => void) => () => void;
  listening: () => boolean;
  close: () => Promise<void>;
};

export const QUEUE_CHANNEL = "replay_queue";
const KINDS = new Set<QueueEvent>(["replays", "reservations"]);

/**
 * One dedicated PostgreSQL connection per process, LISTENing on the channel the triggers of
 * migration 0018 NOTIFY. Connects on the first subscriber; a lost connection (database restart,
 * pg_terminate_backend, network) is retried with backoff up to 10 s, for as long as anyone listens.
 */
export function createQueueEvents({ url, retryMaxMs = 10_000 }: { url: () => string; retryMaxMs?: number }): QueueEvents {
  const listeners = new Set<(event: QueueEvent) => void>();
  let client: pg.Client | null = null;
  let connected = false;
  let connecting = false;
  let closed = false;
  let attempt = 0;
  let timer: NodeJS.Timeout | null = null;

  const emit = (event: QueueEvent) => {
    for (const listener of listeners) listener(event);
  };

  const lost = (from: pg.Client) => {
    if (client !== from) return;
    client = null;
    from.removeAllListeners("notification");
    from.end().catch(() => {});
    if (connected) emit("down");
    connected = false;
    schedule();
  };

  const schedule = () => {
    if (closed || timer || listeners.size === 0) return;
    const delay = Math.min(retryMaxMs, 250 * 2 ** Math.min(attempt++, 6));
    timer = setTimeout(() => {
      timer = null;
      void connect();
    }, delay);
    timer.unref();
  };

  const connect = async () => {
    if (closed || client || connecting) return;
    connecting = true;
    const next = new pg.Client({ connectionString: url(), keepAlive: true, connectionTimeoutMillis: 5_000 });
    next.on("error", () => lost(next));
    next.on("end", () => lost(next));
    next.on("notification", (message) => {
      if (message.channel === QUEUE_CHANNEL && KINDS.has(message.payload as QueueEvent)) emit(message.payload as QueueEvent);
    });
    client = next;
    try {
      await next.connect();
      await next.query(`LISTEN ${QUEUE_CHANNEL}`);
      if (client !== next || closed) return void next.end().catch(() => {});
      connected = true;
      attempt = 0;
      emit("ready");
    } catch {
      lost(next);
    } finally {
      connecting = false;
    }
  };

  return {
    subscribe(listener) {
      listeners.add(listener);
      if (connected) listener("ready");
      else void connect();
      return () => {
        listeners.delete(listener);
      };
    },
    listening: () => connected,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const current = client;
      client = null;
      connected = false;
      listeners.clear();
      await current?.end().catch(() => {});
    },
  };
}

// One per process, kept on globalThis so that hot reload in development does not open more.
const holder = globalThis as unknown as { __feedbackReplayQueueEvents?: QueueEvents };

export function getQueueEvents(): QueueEvents {
  holder.__feedbackReplayQueueEvents ??= createQueueEvents({ url: databaseUrl });
  return holder.__feedbackReplayQueueEvents;
}
