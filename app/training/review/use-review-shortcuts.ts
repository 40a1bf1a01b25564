"use client";

import { useEffect, useRef } from "react";

export type ReviewShortcuts = {
  onMove: (step: number) => void;
  onToggle: () => void;
  onSelectAll: () => void;
  onClear: () => void;
  onDecide: (decision: "approve" | "reject" | "reopen") => void;
  onEdit: () => void;
  onMerge: () => void;
  onToggleOriginal: () => void;
};

/**
 * j/k move · x select · Shift+X select all shown · Esc clear · a approve · r reject · u reopen ·
 * e edit the completion · m merge the selection into the focused example · o original/redacted.
 * Ignored while typing in a field.
 */
export function useReviewShortcuts(handlers: ReviewShortcuts) {
  const ref = useRef(handlers);
  useEffect(() => {
    ref.current = handlers;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))) return;
      if (event.metaKey || event.ctrlKey || event.altKey) return;
      const h = ref.current;
      const actions: Record<string, () => void> = {
        j: () => h.onMove(1),
        ArrowDown: () => h.onMove(1),
        k: () => h.onMove(-1),
        ArrowUp: () => h.onMove(-1),
        x: h.onToggle,
        X: h.onSelectAll,
        Escape: h.onClear,
        a: () => h.onDecide("approve"),
        r: () => h.onDecide("reject"),
        u: () => h.onDecide("reopen"),
        e: h.onEdit,
        m: h.onMerge,
        o: h.onToggleOriginal,
      };
      const action = actions[event.key];
      if (action) {
        event.preventDefault();
        action();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
