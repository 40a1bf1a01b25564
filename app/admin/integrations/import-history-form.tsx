"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";

const MAX_BYTES = 100 * 1024 * 1024;

/**
 * Uploads a history file (the browser streams it; the server saves it as it arrives and imports
 * it in the background). While an import runs, the page refreshes every 2 s to show its progress.
 */
export function ImportHistoryForm({ running }: { running: boolean }) {
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<{ kind: "idle" | "uploading" | "error" | "started"; message?: string; progress?: number }>({ kind: "idle" });

  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => router.refresh(), 2000);
    return () => clearInterval(timer);
  }, [running, router]);

  function upload(event: React.FormEvent) {
    event.preventDefault();
    const file = input.current?.files?.[0];
    if (!file) return setState({ kind: "error", message: "Choose a .jsonl or .csv file." });
    if (file.size > MAX_BYTES) return setState({ kind: "error", message: "The file is larger than 100 MB: use npm run cli -- import FILE." });
    const format = /\.csv$/i.test(file.name) ? "csv" : "jsonl";
    // XMLHttpRequest, not fetch: it reports upload progress.
    const request = new XMLHttpRequest();
    request.open("POST", `/api/integrations/import?format=${format}&name=${encodeURIComponent(file.name)}`);
    request.setRequestHeader("content-type", format === "csv" ? "text/csv" : "application/x-ndjson");
    request.upload.onprogress = (e) => e.lengthComputable && setState({ kind: "uploading", progress: e.loaded / e.total });
    request.onload = () => {
      if (request.status === 202) {
        setState({ kind: "started", message: `${file.name} uploaded: its progress is in the list below.` });
        if (input.current) input.current.value = "";
        router.refresh();
      } else {
        let message = "The upload failed.";
        try {
          message = JSON.parse(request.responseText).error.message;
        } catch {}
        setState({ kind: "error", message });
      }
    };
    request.onerror = () => setState({ kind: "error", message: "The upload failed: the connection was lost." });
    setState({ kind: "uploading", progress: 0 });
    request.send(file);
  }

  return (
    <form onSubmit={upload} className="flex flex-wrap items-center gap-3 px-4 py-3 text-sm">
      <label className="sr-only" htmlFor="history-file">History file</label>
      <input id="history-file" ref={input} type="file" accept=".jsonl,.ndjson,.json,.csv,text/csv,application/x-ndjson" className="text-sm file:mr-3 file:rounded file:border file:border-slate-300 file:bg-white file:px-2.5 file:py-1 file:text-xs file:font-medium" />
      <button type="submit" disabled={state.kind === "uploading"} className="rounded bg-indigo-600 px-3 py-1.5 text-xs font-medium text-white hover:bg-indigo-700 disabled:opacity-60">
        {state.kind === "uploading" ? `Uploading ${Math.round((state.progress ?? 0) * 100)}%…` : "Import"}
      </button>
      {state.message && (
        <span role={state.kind === "error" ? "alert" : "status"} className={`text-xs ${state.kind === "error" ? "text-red-700" : "text-slate-600"}`}>
          {state.message}
        </span>
      )}
    </form>
  );
}
