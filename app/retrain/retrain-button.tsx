"use client";

import { useState, useTransition } from "react";
import { approveRetrainRunAction, cancelRetrainRunAction, decideEvaluationAction, retryRetrainRunAction, runRetrainNowAction, type RetrainActionResult } from "./actions";
import { ActionOutcome } from "./action-outcome";

type Props =
  | { kind: "run"; isoWeek: string }
  | { kind: "approve"; runId: string; target: "openai" | "local" | "manual" | "together" | "fireworks" | "azure" | "openai-compatible" }
  | { kind: "retry"; runId: string }
  | { kind: "cancel"; runId: string }
  | { kind: "promote" | "discard" | "rollback"; evaluationId: string };

const LABELS = { cancel: "Cancel job", retry: "Retry", run: "Run now", approve: "Approve & upload", promote: "Promote", discard: "Discard", rollback: "Roll back" } as const;
const APPROVE_LABELS = {
  openai: "Approve & upload",
  together: "Approve & upload",
  fireworks: "Approve & upload",
  azure: "Approve & upload",
  "openai-compatible": "Approve & upload",
  local: "Approve & build version",
  manual: "Approve",
} as const;
const PENDING = { cancel: "Cancelling…", retry: "Retrying…", run: "Running…", approve: "Working…", promote: "Promoting…", discard: "Discarding…", rollback: "Rolling back…" } as const;

export function RetrainButton(props: Props) {
  const [result, setResult] = useState<RetrainActionResult | null>(null);
  const [pending, startTransition] = useTransition();
  const primary = props.kind === "run" || props.kind === "retry" || props.kind === "approve" || props.kind === "promote";
  const call = (): Promise<RetrainActionResult> => {
    if (props.kind === "run") return runRetrainNowAction({ isoWeek: props.isoWeek });
    if (props.kind === "approve") return approveRetrainRunAction({ runId: props.runId });
    if (props.kind === "retry" || props.kind === "cancel") return (props.kind === "retry" ? retryRetrainRunAction : cancelRetrainRunAction)({ runId: props.runId });
    return decideEvaluationAction({ evaluationId: props.evaluationId, decision: props.kind });
  };
  return (
    <span className="inline-flex flex-col items-start gap-1">
      <button
        type="button"
        disabled={pending}
        onClick={() => startTransition(async () => setResult(await call()))}
        className={
          primary
            ? "whitespace-nowrap rounded-md bg-indigo-600 px-3 py-1.5 text-xs font-medium text-white hover:bg-indigo-700 disabled:opacity-50"
            : "whitespace-nowrap rounded-md border border-slate-300 bg-white px-3 py-1.5 text-xs font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-50"
        }
      >
        {pending ? PENDING[props.kind] : props.kind === "approve" ? APPROVE_LABELS[props.target] : LABELS[props.kind]}
      </button>
      <ActionOutcome result={result} className="max-w-96" />
    </span>
  );
}
