import type { Match } from "@/lib/meaning/meaning-index";
import type { PromptGroupWording } from "@/lib/training/get-prompt-group";
import { RedactedText } from "../../review/redacted-text";

/** The words two texts share: exact ones as they are, the others as "word ~ the word it met". */
export function SharedTerms({ shared }: { shared: Match["shared"] }) {
  if (shared.length === 0) return null;
  return (
    <span className="inline-flex flex-wrap gap-1 align-middle" data-testid="shared-terms">
      {shared.map((s, i) => (
        <span
          key={i}
          className={`whitespace-nowrap rounded px-1.5 py-px text-xs ${s.exact ? "bg-slate-100 text-slate-700" : "bg-indigo-50 text-indigo-800"}`}
          title={s.exact ? "the same word" : `“${s.word}” means about the same as “${s.via}”`}
        >
          {s.exact ? s.word : `${s.word} ~ ${s.via}`}
        </span>
      ))}
    </span>
  );
}

function Nearest({ text }: { text: string }) {
  return (
    <q className="text-slate-700">
      <RedactedText text={text} />
    </q>
  );
}

/** Why a wording is in its group, in one or two plain lines. */
export function WordingReason({ wording, only }: { wording: PromptGroupWording; only: boolean }) {
  const { reason } = wording;
  const pinned = wording.pinned ? " A manager placed it here." : "";
  switch (reason.kind) {
    case "words":
      return (
        <p className="text-xs text-slate-500" data-testid="wording-reason">
          Same question as <Nearest text={reason.nearestText} /> ({Math.round(reason.score * 100)}% alike): <SharedTerms shared={reason.shared} />
          {pinned}
        </p>
      );
    case "reply":
      return (
        <p className="text-xs text-slate-500" data-testid="wording-reason">
          The agents gave the same answer as to <Nearest text={reason.nearestText} />. <SharedTerms shared={reason.shared} />
          {pinned}
        </p>
      );
    case "loose":
      return (
        <p className="text-xs text-slate-500" data-testid="wording-reason">
          Closest is <Nearest text={reason.nearestText} />, but only {Math.round(reason.score * 100)}% alike, less than grouping asks for now
          {wording.pinned ? "; a manager placed it here." : "; it joined through a wording that has since moved, or under other settings."}{" "}
          <SharedTerms shared={reason.shared} />
        </p>
      );
    default:
      return (
        <p className="text-xs text-slate-500" data-testid="wording-reason">
          {only ? "The only wording in this group." : "Nothing in common with the other wordings."}
          {pinned}
        </p>
      );
  }
}
