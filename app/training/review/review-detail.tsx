"use client";

import { useEffect, useState, type RefObject } from "react";
import type { ExampleDetail } from "@/lib/training/get-example-detail";
import type { ReviewItem } from "@/lib/training/list-review-queue";
import type { RedactionCounts } from "@/lib/training/redact-pii";
import { exampleDetailAction } from "./actions";
import { RedactedText } from "./redacted-text";
import { STATUS_STYLE } from "./review-list";
import { SelfCritiqueSlot } from "./self-critique-slot";

const KIND_LABEL: Record<string, string> = {
  EMAIL: "email",
  PHONE: "phone number",
  CARD: "card number",
  IBAN: "IBAN",
  ADDRESS: "address",
  ORDER_ID: "order/account id",
  NAME: "name",
};

function describeRedactions(counts: RedactionCounts): string {
  const parts = Object.entries(counts).map(([kind, n]) => `${n} ${KIND_LABEL[kind] ?? kind}${n === 1 ? "" : "s"}`);
  return parts.length ? `Redacted before export: ${parts.join(", ")}.` : "Nothing to redact was found.";
}

function Card({ title, children, tone = "white" }: { title: string; children: React.ReactNode; tone?: "white" | "rose" | "emerald" }) {
  const tones = { white: "border-slate-200 bg-white", rose: "border-rose-200 bg-rose-50/40", emerald: "border-emerald-200 bg-emerald-50/40" };
  return (
    <section className={`rounded-lg border px-4 py-3 ${tones[tone]}`}>
      <h3 className="text-xs font-medium uppercase tracking-wide text-slate-500">{title}</h3>
      <div className="mt-1 whitespace-pre-wrap text-sm leading-relaxed text-slate-900">{children}</div>
    </section>
  );
}

export function ReviewDetail({
  item,
  showOriginal,
  editing,
  busy,
  maxTokens,
  editorRef,
  onSave,
  onCancelEdit,
  onStartEdit,
  onToggleOriginal,
}: {
  item: ReviewItem;
  showOriginal: boolean;
  editing: boolean;
  busy: boolean;
  maxTokens: number;
  editorRef: RefObject<HTMLTextAreaElement | null>;
  onSave: (completion: string) => void;
  onCancelEdit: () => void;
  onStartEdit: () => void;
  onToggleOriginal: () => void;
}) {
  const [detail, setDetail] = useState<ExampleDetail | null>(null);
  const [reloads, setReloads] = useState(0);
  useEffect(() => {
    let live = true;
    setDetail(null);
    void exampleDetailAction(item.id).then((result) => live && result.ok && setDetail(result.detail));
    return () => {
      live = false;
    };
  }, [item.id, item.reviewStatus, item.completion, reloads]);

  const text = (original: string, clean: string) => (showOriginal ? original : <RedactedText text={clean} />);

  return (
    <div className="space-y-3" data-testid="review-detail">
      <div className="flex flex-wrap items-center gap-2 text-xs text-slate-500">
        <span className={`rounded px-1.5 py-px font-medium capitalize ${STATUS_STYLE[item.reviewStatus]}`}>{item.reviewStatus}</span>
        {item.reviewerName && item.reviewedAt && (
          <span>
            by {item.reviewerName} · {new Date(item.reviewedAt).toLocaleString("en-GB")}
          </span>
        )}
        <span>· ticket {item.ticketId ?? "—"}</span>
        {item.topic && <span>· {item.topic}</span>}
        <span>· answered by {item.agentName ?? "unknown"}</span>
        <span className={item.clean.tooLong ? "font-medium text-rose-700" : ""}>
          · {item.clean.tokenCount.toLocaleString("en")} / {maxTokens.toLocaleString("en")} tokens
        </span>
        <button type="button" onClick={onToggleOriginal} className="ml-auto rounded border border-slate-300 bg-white px-2 py-0.5 text-slate-700 hover:bg-slate-50">
          {showOriginal ? "Show redacted (o)" : "Show original (o)"}
        </button>
      </div>

      <p data-testid="redaction-summary" className="rounded-md bg-amber-50 px-3 py-1.5 text-xs text-amber-900">
        {showOriginal ? "Showing the original texts: they contain personal data and are never exported as they are." : describeRedactions(item.clean.redactions)}
      </p>

      <Card title="Customer message (prompt)">{text(item.prompt, item.clean.prompt)}</Card>

      <div className="grid gap-3 lg:grid-cols-2">
        <Card title="AI suggested reply · marked not useful" tone="rose">
          {item.aiReply ?? <em className="text-slate-500">not recorded</em>}
        </Card>
        <section className="rounded-lg border border-emerald-200 bg-emerald-50/40 px-4 py-3">
          <div className="flex items-center">
            <h3 className="text-xs font-medium uppercase tracking-wide text-slate-500">Agent reply · the completion to learn</h3>
            {!editing && item.reviewStatus !== "rejected" && item.reviewStatus !== "merged" && (
              <button type="button" onClick={onStartEdit} className="ml-auto text-xs font-medium text-indigo-700 hover:underline">
                Edit (e)
              </button>
            )}
          </div>
          {editing ? (
            <form
              className="mt-2 space-y-2"
              onSubmit={(event) => {
                event.preventDefault();
                onSave(editorRef.current?.value ?? "");
              }}
            >
              <textarea
                ref={editorRef}
                aria-label="Completion"
                defaultValue={item.completion}
                rows={8}
                autoFocus
                onKeyDown={(event) => {
                  if (event.key === "Escape") onCancelEdit();
                  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
                    event.preventDefault();
                    onSave(event.currentTarget.value);
                  }
                }}
                className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm focus:border-indigo-500 focus:outline-none"
              />
              <div className="flex items-center gap-2">
                <button type="submit" disabled={busy} className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-60">
                  Save and approve
                </button>
                <button type="button" onClick={onCancelEdit} className="rounded-md px-3 py-1.5 text-sm text-slate-600 hover:bg-slate-100">
                  Cancel
                </button>
                <span className="ml-auto text-xs text-slate-500">
                  <kbd>Ctrl</kbd>+<kbd>Enter</kbd> save · <kbd>Esc</kbd> cancel
                </span>
              </div>
            </form>
          ) : (
            <div className="mt-1 whitespace-pre-wrap text-sm leading-relaxed text-slate-900">
              {item.completion ? text(item.completion, item.clean.completion) : <em className="text-amber-800">No usable reply (empty or a placeholder). Edit to write one.</em>}
            </div>
          )}
          {item.originalCompletion !== null && (
            <details className="mt-2 text-xs text-slate-600">
              <summary className="cursor-pointer">Edited by a manager — the agent&apos;s original</summary>
              <p className="mt-1 whitespace-pre-wrap">{item.originalCompletion || <em>empty</em>}</p>
            </details>
          )}
        </section>
      </div>

      <SelfCritiqueSlot replayId={item.replayId} detail={detail} onChanged={() => setReloads((n) => n + 1)} />

      {item.conflict && (
        <section data-testid="conflict" className="rounded-lg border border-orange-200 bg-orange-50 px-4 py-3">
          <h3 className="text-xs font-medium uppercase tracking-wide text-orange-900">Conflict: the same question answered differently</h3>
          {detail ? (
            <ul className="mt-2 space-y-2">
              {detail.otherAnswers.map((answer) => (
                <li key={answer.id} className="text-sm text-slate-800">
                  <span className="text-xs text-slate-500">
                    {answer.count} {answer.count === 1 ? "answer" : "answers"} by {answer.agentNames.join(", ")} · {Math.round(answer.similarity * 100)}% alike
                  </span>
                  <p className="line-clamp-3 whitespace-pre-wrap">
                    <RedactedText text={answer.completion} />
                  </p>
                </li>
              ))}
            </ul>
          ) : (
            <p className="mt-1 text-sm text-orange-900">Loading the other answers…</p>
          )}
        </section>
      )}

      <section className="grid gap-3 text-xs text-slate-600 lg:grid-cols-2">
        <div className="rounded-lg border border-slate-200 bg-white px-4 py-3">
          <h3 className="font-medium uppercase tracking-wide text-slate-500">Lineage</h3>
          <p className="mt-1">
            Replay <code className="text-[11px]">{item.replayId ?? "—"}</code> → example <code className="text-[11px]">{item.id}</code>
          </p>
          {detail && detail.mergedHere > 0 && <p>{detail.mergedHere} duplicates merged into this example.</p>}
          {item.duplicateOf && (
            <p>
              Merged into <code className="text-[11px]">{item.duplicateOf}</code>.
            </p>
          )}
          <p className="mt-1">
            {detail === null
              ? "…"
              : detail.datasets.length === 0
                ? "In no dataset yet."
                : `In ${detail.datasets.length} dataset${detail.datasets.length === 1 ? "" : "s"}: ${detail.datasets
                    .map((d) => `${d.source} ${d.split} (${new Date(d.createdAt).toLocaleDateString("en-GB")})`)
                    .join(", ")}`}
          </p>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white px-4 py-3">
          <h3 className="font-medium uppercase tracking-wide text-slate-500">Decisions</h3>
          {detail === null ? (
            <p className="mt-1">…</p>
          ) : detail.history.length === 0 ? (
            <p className="mt-1">None yet.</p>
          ) : (
            <ul className="mt-1 space-y-0.5">
              {detail.history.map((h, i) => (
                <li key={i}>
                  <span className="font-medium capitalize text-slate-800">{h.decision}</span> by {h.reviewerName ?? "someone"} ·{" "}
                  {new Date(h.at).toLocaleString("en-GB")}
                </li>
              ))}
            </ul>
          )}
        </div>
      </section>
    </div>
  );
}
