"use client";

import { useCallback, useRef, useState } from "react";

export type Draft = { agentReply: string; feedback: "yes" | "no" | null; submissionId?: string };

const EMPTY: Draft = { agentReply: "", feedback: null };
const key = (replayId: string) => `feedback-replay:draft:${replayId}`;

function read(replayId: string): Draft {
  try {
    const raw = window.localStorage.getItem(key(replayId));
    return raw ? { ...EMPTY, ...(JSON.parse(raw) as Draft) } : EMPTY;
  } catch {
    return EMPTY;
  }
}

/**
 * Drafts live in localStorage until the server confirms the submit, so a typed reply survives a
 * failed submit, a crash of the server or the database, and a reload.
 */
export function useReplayDrafts() {
  const cache = useRef(new Map<string, Draft>());
  const [, setVersion] = useState(0);

  const getDraft = useCallback((replayId: string): Draft => {
    if (typeof window === "undefined") return EMPTY;
    let draft = cache.current.get(replayId);
    if (!draft) {
      draft = read(replayId);
      cache.current.set(replayId, draft);
    }
    return draft;
  }, []);

  const updateDraft = useCallback(
    (replayId: string, change: Partial<Draft>) => {
      const next = { ...getDraft(replayId), ...change };
      cache.current.set(replayId, next);
      try {
        window.localStorage.setItem(key(replayId), JSON.stringify(next));
      } catch {
        // Storage full or disabled: the draft still lives in memory for this page.
      }
      setVersion((v) => v + 1);
      return next;
    },
    [getDraft],
  );

  const clearDraft = useCallback((replayId: string) => {
    cache.current.delete(replayId);
    try {
      window.localStorage.removeItem(key(replayId));
    } catch {}
    setVersion((v) => v + 1);
  }, []);

  return { getDraft, updateDraft, clearDraft };
}
