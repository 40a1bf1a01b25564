"use client";

import { useEffect, useRef } from "react";

type Handlers = {
  onMark: (feedback: "yes" | "no") => void;
  onMove: (step: number) => void;
  onSubmit: () => void;
  onCopy: () => void;
  onFocusReply: () => void;
  onRefreshSuggestion: () => void;
  onLetGo: () => void;
};

function isTyping(target: EventTarget | null) {
  return target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

/**
 * The replay view's keyboard: Ctrl/Cmd+Enter submits from anywhere; the single-letter shortcuts
 * work only outside text fields, so typing "y" in a reply never marks anything.
 */
export function useReplayShortcuts(handlers: Handlers) {
  const latest = useRef(handlers);
  latest.current = handlers;

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      const h = latest.current;
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        h.onSubmit();
        return;
      }
      if (isTyping(event.target)) {
        if (event.key === "Escape") (event.target as HTMLElement).blur();
        return;
      }
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const actions: Record<string, () => void> = {
        y: () => h.onMark("yes"),
        n: () => h.onMark("no"),
        j: () => h.onMove(1),
        k: () => h.onMove(-1),
        c: () => h.onCopy(),
        e: () => h.onFocusReply(),
        r: () => h.onRefreshSuggestion(),
        u: () => h.onLetGo(),
      };
      const action = actions[event.key.toLowerCase()];
      if (action) {
        event.preventDefault();
        action();
      }
    }
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);
}
