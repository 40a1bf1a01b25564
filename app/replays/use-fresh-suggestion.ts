"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { FreshSuggestionEvent } from "@/lib/ai/stream-fresh-suggestion";

export type FreshSuggestion = {
  status: "streaming" | "done" | "error";
  text: string;
  model?: string;
  provider?: "local" | "openai";
  error?: string;
};

/**
 * "Get a fresh suggestion": POSTs to /api/replays/:id/suggestion and reads its NDJSON stream,
 * so the text grows in the AI card as the model writes. One request per replay at a time; moving
 * to another replay keeps it running (the result is saved on the server either way).
 */
export function useFreshSuggestion({ onDone }: { onDone: (replayId: string) => void }) {
  const [fresh, setFresh] = useState<Record<string, FreshSuggestion>>({});
  const running = useRef(new Map<string, AbortController>());
  const latestOnDone = useRef(onDone);
  latestOnDone.current = onDone;

  useEffect(() => {
    const controllers = running.current;
    return () => controllers.forEach((c) => c.abort());
  }, []);

  const request = useCallback(async (replayId: string) => {
    if (running.current.has(replayId)) return;
    const controller = new AbortController();
    running.current.set(replayId, controller);
    const update = (change: Partial<FreshSuggestion> | ((prev: FreshSuggestion) => Partial<FreshSuggestion>)) =>
      setFresh((all) => {
        const prev = all[replayId] ?? { status: "streaming", text: "" };
        return { ...all, [replayId]: { ...prev, ...(typeof change === "function" ? change(prev) : change) } };
      });
    update({ status: "streaming", text: "", error: undefined });

    let finished = false;
    const handle = (event: FreshSuggestionEvent) => {
      if (event.type === "start") update({ model: event.model, provider: event.provider });
      else if (event.type === "delta") update((prev) => ({ text: prev.text + event.text }));
      else if (event.type === "done") {
        finished = true;
        update({ status: "done", text: event.aiReply, model: event.model, provider: event.provider });
        latestOnDone.current(replayId);
      } else {
        finished = true;
        update({ status: "error", error: event.message });
      }
    };

    try {
      const response = await fetch(`/api/replays/${replayId}/suggestion`, { method: "POST", signal: controller.signal });
      if (!response.ok || !response.body) {
        const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
        update({ status: "error", error: body?.error?.message ?? `The server answered ${response.status}.` });
        return;
      }
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += value;
        const lines = buffer.split("\n");
        buffer = lines.pop() ?? "";
        for (const line of lines) if (line.trim()) handle(JSON.parse(line) as FreshSuggestionEvent);
      }
      if (!finished) update({ status: "error", error: "The suggestion was cut off. Try again." });
    } catch {
      if (!controller.signal.aborted) update({ status: "error", error: "Couldn't reach the server. Try again when it's back." });
    } finally {
      running.current.delete(replayId);
    }
  }, []);

  return { fresh, request };
}
