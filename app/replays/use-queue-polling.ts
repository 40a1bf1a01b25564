"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { QueueItem } from "@/lib/feedback/list-queue";
import type { QueueQuery } from "@/lib/feedback/schemas";

type Queue = { items: QueueItem[]; total: number };

export const queryKey = (query: QueueQuery) => JSON.stringify([query.order, query.topic ?? "", query.ticket ?? ""]);

const POLL_MS = 5_000;

/**
 * New replays appear without a reload: the queue is fetched every 5 s while the tab is visible,
 * and at once when the filters change or the tab comes back.
 */
export function useQueuePolling({ initialQueue, query }: { initialQueue: Queue; query: QueueQuery }) {
  // `key` names the filters the items were fetched with, so the view knows when they changed.
  const [queue, setQueue] = useState({ ...initialQueue, key: queryKey(query) });
  const [offline, setOffline] = useState(false);
  const first = useRef(true);

  const refresh = useCallback(async () => {
    const params = new URLSearchParams({ order: query.order, limit: String(query.limit) });
    if (query.topic) params.set("topic", query.topic);
    if (query.ticket) params.set("ticket", query.ticket);
    window.history.replaceState(null, "", `/replays?${params.toString().replace(/&?limit=\d+/, "")}`);
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

  useEffect(() => {
    if (first.current) first.current = false;
    else void refresh();
    const timer = window.setInterval(() => {
      if (document.visibilityState === "visible") void refresh();
    }, POLL_MS);
    const onVisible = () => document.visibilityState === "visible" && void refresh();
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [refresh]);

  return { queue, offline, refresh };
}
