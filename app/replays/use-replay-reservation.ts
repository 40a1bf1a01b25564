"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { releaseReplayAction, reserveReplayAction } from "./actions";

export type Hold = { status: "mine"; until: string } | { status: "taken"; name: string; until: string } | { status: "released" } | null;

/**
 * The open replay is the agent's while it stays open: reserved on opening, renewed at half its
 * time while the tab is visible, let go when the agent opens another (the server does that in the
 * same statement), closes everything, leaves the page (a keepalive DELETE on pagehide, or when
 * the view unmounts on a link inside the app) or lets go explicitly. `takenBy` is the other holder the queue shows: when it is gone, try again.
 */
export function useReplayReservation({ replayId, seconds, takenBy }: { replayId: string | null; seconds: number; takenBy: string | null }) {
  const [hold, setHold] = useState<{ replayId: string; hold: Hold } | null>(null);
  const letGoOf = useRef<string | null>(null);

  const take = useCallback(async (id: string) => {
    if (letGoOf.current === id) return;
    try {
      const result = await reserveReplayAction({ replayId: id });
      if (!result.ok || letGoOf.current === id) return;
      setHold({ replayId: id, hold: result.status === "closed" ? null : result });
    } catch {
      // Offline: the queue's banner says so; the next renewal tries again.
    }
  }, []);

  useEffect(() => {
    if (!replayId) return;
    letGoOf.current = null;
    void take(replayId);
    const timer = window.setInterval(() => document.visibilityState === "visible" && void take(replayId), (seconds * 1000) / 2);
    const onHide = () => void fetch(`/api/replays/${replayId}/reservation`, { method: "DELETE", keepalive: true }).catch(() => {});
    const onShow = (event: PageTransitionEvent) => event.persisted && void take(replayId);
    const onVisible = () => document.visibilityState === "visible" && void take(replayId);
    window.addEventListener("pagehide", onHide);
    window.addEventListener("pageshow", onShow);
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener("pagehide", onHide);
      window.removeEventListener("pageshow", onShow);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [replayId, seconds, take]);

  // Leaving the view inside the app (a header link) fires no pagehide: let go when it unmounts.
  const open = useRef<string | null>(null);
  useEffect(() => {
    open.current = replayId;
  }, [replayId]);
  useEffect(
    () => () => {
      const id = open.current;
      if (id && letGoOf.current !== id) void fetch(`/api/replays/${id}/reservation`, { method: "DELETE", keepalive: true }).catch(() => {});
    },
    [],
  );

  // Nothing open any more (all caught up): let go of the last one.
  const previous = useRef<string | null>(null);
  useEffect(() => {
    if (previous.current && !replayId) void releaseReplayAction({ replayId: previous.current }).catch(() => {});
    previous.current = replayId;
  }, [replayId]);

  const current = hold?.replayId === replayId ? hold.hold : null;
  // The other agent let go or ran out of time (the queue no longer shows them): take it now.
  useEffect(() => {
    if (replayId && current?.status === "taken" && !takenBy) void take(replayId);
  }, [replayId, current?.status, takenBy, take]);

  const letGo = useCallback(async () => {
    if (!replayId) return;
    letGoOf.current = replayId;
    setHold({ replayId, hold: { status: "released" } });
    await releaseReplayAction({ replayId }).catch(() => {});
  }, [replayId]);

  return { hold: current, letGo };
}
