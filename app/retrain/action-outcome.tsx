import type { RetrainActionResult } from "./actions";

/** What a retrain action answered, beside its button: a status line, or an alert when it failed. */
export function ActionOutcome({ result, className = "basis-full" }: { result: RetrainActionResult | null; className?: string }) {
  if (!result) return null;
  return (
    <span role={result.ok ? "status" : "alert"} className={`${className} text-xs ${result.ok ? "text-slate-600" : "text-rose-700"}`}>
      {result.message}
    </span>
  );
}
