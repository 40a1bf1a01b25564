import type { Match } from "@/lib/meaning/meaning-index";
import type { PromptGroupWording } from "@/lib/training/get-prompt-group";
import { RedactedText } from "../../review/redacted-text";

/** Words that met the same word together ("give", "money", "back" ~ "refund") become one term. */
function terms(shared: Match["shared"]): { words: string; via: string; exact: boolean }[] {
  const out: { words: string; via: string; exact: boolean }[] = [];
  for (const s of shared) {
    const same = s.exact ? undefined : out.find((t) => !t.exact && t.via === s.via);
    if (same) same.words += ` ${s.word}`;
    else out.push({ words: s.word, via: s.via, exact: s.exact });
  }
  return out;
}

/** The words two texts share: exact ones as they are, the others as "words ~ the word they met". */
export function SharedTerms({ shared }: { shared: Match["shared"] }) {
  if (shared.length === 0) return null;
  return (
    <span className="inline-flex flex-wrap gap-1 align-middle" data-testid="shared-terms">
      {terms(shared).map((t, i) => (
        <span
          key={i}
          className={`whitespace-nowrap rounded px-1.5 py-px text-xs ${t.exact ? "bg-slate-100 text-slate-700" : "bg-indigo-50 text-indigo-800"}`}
          title={t.exact ? "the same word" : `“${t.words}” means about the same as “${t.via}”`}
        >
          {t.exact ? t.words : `${t.words} ~ ${t.via}`}
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
          Same question as <Nearest text={reason.nearestText} /> ({Math.round(reason.score * 100)}% alike) · shares <SharedTerms shared={reason.shared} />
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
