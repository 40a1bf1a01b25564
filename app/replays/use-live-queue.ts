"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { QueueItem } from "@/lib/feedback/list-queue";
import type { QueueQuery } from "@/lib/feedback/schemas";

type Queue = { items: QueueItem[]; total: number };
export type LiveMode = "push" | "polling";

export const queryKey = (query: QueueQuery) => JSON.stringify([query.order, query.topic ?? "", query.ticket ?? ""]);

/** The view's address for these filters (the page's own limit left out). */
function queueHref(query: QueueQuery) {
  const params = new URLSearchParams({ order: query.order });
  if (query.topic) params.set("topic", query.topic);
  if (query.ticket) params.set("ticket", query.ticket);
  return `/replays?${params}`;
}

const POLL_MS = 5_000;
// With push, a slow poll still runs: a missed event costs at most a minute, never a stale queue.
const SAFETY_POLL_MS = 60_000;

/**
 * The queue stays current without a reload. By push: /api/queue/events (server-sent events over
 * PostgreSQL LISTEN/NOTIFY) says when replays or reservations changed, on any app instance, and
 * the queue is fetched then. Where push is unavailable (no EventSource, QUEUE_PUSH=off, a proxy
 * that cuts the stream, the server's listener down) it polls every 5 s while the tab is visible.
 */
export function useLiveQueue({ initialQueue, query }: { initialQueue: Queue; query: QueueQuery }) {
  // `key` names the filters the items were fetched with, so the view knows when they changed.
  const [queue, setQueue] = useState({ ...initialQueue, key: queryKey(query) });
  const [offline, setOffline] = useState(false);
  const [mode, setMode] = useState<LiveMode>("polling");
  const first = useRef(true);
  const running = useRef<Promise<void> | null>(null);
  const again = useRef(false);

  // The address bar follows the filters, when the agent changes them and only then. Never on a
  // fetch: Next.js turns history.replaceState into a router "restore", which cancels a navigation
  // in flight, so a queue event arriving just after a click on a header link (the submit itself
  // sends one) kept the agent on /replays. A fetch that ended after the view left /replays would
  // also have put /replays back in the address bar of another page.
  const shownQuery = useRef(queryKey(query));
  useEffect(() => {
    const key = queryKey(query);
    if (key === shownQuery.current) return;
    shownQuery.current = key;
    if (window.location.pathname === "/replays") window.history.replaceState(null, "", queueHref(query));
  }, [query]);

  const fetchQueue = useCallback(async () => {
    const params = new URLSearchParams({ order: query.order, limit: String(query.limit) });
    if (query.topic) params.set("topic", query.topic);
    if (query.ticket) params.set("ticket", query.ticket);
    try {
      const response = await fetch(`/api/queue?${params}`, { cache: "no-store" });
      if (response.status === 401) {
        window.location.assign("/signin?callbackUrl=/replays");
        return;
      }
      if (!response.ok) throw new Error(String(response.status));
      setQueue({ ...((await response.json()) as Queue), key: queryKey(query) });
      setOffline(false);
    } catch {
      setOffline(true);
    }
  }, [query]);

  // A burst of events is one fetch in flight and at most one more after it.
  const refresh = useCallback(async () => {
    if (running.current) {
      again.current = true;
      return running.current;
    }
    running.current = (async () => {
      do {
        again.current = false;
        await fetchQueue();
      } while (again.current);
    })().finally(() => {
      running.current = null;
    });
    return running.current;
  }, [fetchQueue]);
  const latest = useRef(refresh);
  latest.current = refresh;

  useEffect(() => {
    if (typeof EventSource === "undefined") return;
    const source = new EventSource("/api/queue/events");
    const onReady = () => {
      setMode("push");
      void latest.current(); // events may have been missed before: catch up once
    };
    const onChange = () => void latest.current();
    source.addEventListener("ready", onReady);
    source.addEventListener("replays", onChange);
    source.addEventListener("reservations", onChange);
    source.addEventListener("down", () => setMode("polling"));
    // EventSource reconnects by itself (after `retry:`); until `ready` comes again, poll.
    source.onerror = () => setMode("polling");
    return () => source.close();
  }, []);

  useEffect(() => {
    if (first.current) first.current = false;
    else void refresh();
    const timer = window.setInterval(
      () => {
        if (document.visibilityState === "visible") void refresh();
      },
      mode === "push" ? SAFETY_POLL_MS : POLL_MS,
    );
    const onVisible = () => document.visibilityState === "visible" && void refresh();
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [refresh, mode]);

  // A reservation that runs out sends no event: fetch again when the first one shown ends.
  useEffect(() => {
    const ends = queue.items.flatMap((i) => (i.reservation && !i.reservation.mine ? [new Date(i.reservation.until).getTime()] : []));
    if (ends.length === 0) return;
    const wait = Math.max(1_000, Math.min(...ends) - Date.now() + 1_000);
    const timer = window.setTimeout(() => void latest.current(), Math.min(wait, 2 ** 31 - 1));
    return () => window.clearTimeout(timer);
  }, [queue.items]);

  return { queue, offline, refresh, mode };
}
