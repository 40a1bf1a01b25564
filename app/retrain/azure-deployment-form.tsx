"use client";

import { useState, useTransition } from "react";
import { recordAzureDeploymentAction, type RetrainActionResult } from "./actions";
import { ActionOutcome } from "./action-outcome";

/** The manager enters the deployment made in Azure for a run's fine-tuned model; the run goes on to evaluation. */
export function AzureDeploymentForm({ runId, suggestedName }: { runId: string; suggestedName: string }) {
  const [result, setResult] = useState<RetrainActionResult | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <form
      className="mt-2 flex flex-wrap items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        const deploymentName = String(new FormData(e.currentTarget).get("deploymentName") ?? "");
        startTransition(async () => setResult(await recordAzureDeploymentAction({ runId, deploymentName })));
      }}
    >
      <label className="flex flex-col gap-1 text-xs font-medium text-slate-700">
        Deployment name
        <input
          name="deploymentName"
          defaultValue={suggestedName}
          required
          maxLength={64}
          className="w-72 rounded-md border border-slate-300 bg-white px-2 py-1.5 font-mono text-xs text-slate-900"
        />
      </label>
      <button type="submit" disabled={pending} className="rounded-md bg-indigo-600 px-3 py-1.5 text-xs font-medium text-white hover:bg-indigo-700 disabled:opacity-50">
        {pending ? "Recording…" : "Deployed: evaluate it"}
      </button>
      <ActionOutcome result={result} />
    </form>
  );
}
