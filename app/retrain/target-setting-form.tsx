"use client";

import { useState, useTransition } from "react";
import { METHOD_LABELS, METHODS_BY_TARGET, TARGET_LABELS, type RunMethod, type TargetName } from "@/lib/retrain/fine-tune-target";
import { saveRetrainSettingAction, type RetrainActionResult } from "./actions";
import { ActionOutcome } from "./action-outcome";

type Props = {
  /** The targets whose environment variables are all set, in the page's order. */
  ready: TargetName[];
  current: { target: TargetName; method: RunMethod; baseModel: string | null };
  /** What the environment says (FINE_TUNE_TARGET, FINE_TUNE_METHOD, FINE_TUNE_BASE_MODEL): a blank base model means its. */
  configured: { target: TargetName; method: RunMethod; baseModel: string };
  fromPage: boolean;
};

/** The manager's choice of target, method and base model; the server action checks it all again. */
export function TargetSettingForm({ ready, current, configured, fromPage }: Props) {
  const [target, setTarget] = useState<TargetName>(current.target);
  const [method, setMethod] = useState<RunMethod>(current.method);
  const [baseModel, setBaseModel] = useState(current.baseModel ?? "");
  const [result, setResult] = useState<RetrainActionResult | null>(null);
  const [pending, startTransition] = useTransition();
  const methods = METHODS_BY_TARGET[target].allowed;
  const remote = target !== "local" && target !== "manual";
  const chooseTarget = (next: TargetName) => {
    setTarget(next);
    if (!METHODS_BY_TARGET[next].allowed.includes(method)) setMethod(METHODS_BY_TARGET[next].default);
  };
  const send = (input: Parameters<typeof saveRetrainSettingAction>[0]) => startTransition(async () => setResult(await saveRetrainSettingAction(input)));
  const field = "mt-1 block rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-800 focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500";

  return (
    <form
      className="flex flex-wrap items-end gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        send({ use: "page", target, method, ...(remote && baseModel.trim() ? { baseModel: baseModel.trim() } : {}) });
      }}
    >
      <label className="text-xs font-medium text-slate-600">
        Fine-tune target
        <select value={target} onChange={(e) => chooseTarget(e.target.value as TargetName)} className={field}>
          {ready.map((t) => (
            <option key={t} value={t}>
              {TARGET_LABELS[t]}
            </option>
          ))}
        </select>
      </label>
      <label className="text-xs font-medium text-slate-600">
        Training method
        <select value={method} onChange={(e) => setMethod(e.target.value as RunMethod)} className={field}>
          {methods.map((m) => (
            <option key={m} value={m}>
              {METHOD_LABELS[m]}
            </option>
          ))}
        </select>
      </label>
      {remote && (
        <label className="text-xs font-medium text-slate-600">
          Base model
          <input value={baseModel} onChange={(e) => setBaseModel(e.target.value)} placeholder={configured.baseModel} className={`${field} w-80`} />
        </label>
      )}
      <button type="submit" disabled={pending} className="whitespace-nowrap rounded-md bg-indigo-600 px-3 py-1.5 text-xs font-medium text-white hover:bg-indigo-700 disabled:opacity-50">
        {pending ? "Saving…" : "Use for the next runs"}
      </button>
      {fromPage && (
        <button type="button" disabled={pending} onClick={() => {
            setTarget(configured.target);
            setMethod(configured.method);
            setBaseModel("");
            send({ use: "configuration" });
          }} className="whitespace-nowrap rounded-md border border-slate-300 bg-white px-3 py-1.5 text-xs font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-50">
          Back to the configuration
        </button>
      )}
      <ActionOutcome result={result} />
    </form>
  );
}
