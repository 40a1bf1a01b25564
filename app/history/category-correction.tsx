"use client";

import { useState, useTransition } from "react";
import { FAILURE_CATEGORIES, FAILURE_CATEGORY_DESCRIPTIONS, FAILURE_CATEGORY_LABELS, type FailureCategory } from "@/lib/ai/failure-categories";
import { correctCategoryAction } from "./actions";

/** "Right category?": the agent confirms or corrects the AI's category; kept for analytics. */
export function CategoryCorrection({ replayId, aiCategory, agentCategory }: { replayId: string; aiCategory: FailureCategory | null; agentCategory: FailureCategory | null }) {
  const [value, setValue] = useState<FailureCategory | "">(agentCategory ?? "");
  const [state, setState] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [pending, startTransition] = useTransition();

  return (
    <div className="flex flex-wrap items-center gap-2 text-xs">
      <label htmlFor={`category-${replayId}`} className="text-slate-600">
        {aiCategory ? "Your category" : "Category"}
      </label>
      <select
        id={`category-${replayId}`}
        value={value}
        disabled={pending}
        onChange={(event) => {
          const category = event.target.value as FailureCategory;
          setValue(category);
          startTransition(async () => {
            const result = await correctCategoryAction({ replayId, category });
            setState(result.ok ? { tone: "ok", text: category === aiCategory ? "Saved: you agree with the AI." : "Saved." } : { tone: "error", text: result.message });
          });
        }}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 text-xs focus:border-indigo-500 focus:outline-none"
      >
        <option value="" disabled>
          {aiCategory ? `Agree? (AI says ${FAILURE_CATEGORY_LABELS[aiCategory].toLowerCase()})` : "Pick one"}
        </option>
        {FAILURE_CATEGORIES.map((c) => (
          <option key={c} value={c} title={FAILURE_CATEGORY_DESCRIPTIONS[c]}>
            {FAILURE_CATEGORY_LABELS[c]}
            {c === aiCategory ? " (AI's choice)" : ""}
          </option>
        ))}
      </select>
      {pending && <span className="text-slate-500">Saving…</span>}
      {!pending && state && (
        <span role={state.tone === "error" ? "alert" : "status"} className={state.tone === "error" ? "text-rose-700" : "text-emerald-700"}>
          {state.text}
        </span>
      )}
    </div>
  );
}
