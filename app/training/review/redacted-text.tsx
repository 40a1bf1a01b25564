import { Fragment } from "react";

const PLACEHOLDER = /(\[(?:EMAIL|PHONE|CARD|IBAN|ADDRESS|ORDER_ID|NAME)\])/;

/** Text with the redaction placeholders marked, rendered as text (never HTML). */
export function RedactedText({ text }: { text: string }) {
  return (
    <>
      {text.split(PLACEHOLDER).map((part, i) =>
        i % 2 === 1 ? (
          <mark key={i} className="rounded bg-amber-100 px-0.5 font-mono text-[0.85em] text-amber-900">
            {part}
          </mark>
        ) : (
          <Fragment key={i}>{part}</Fragment>
        ),
      )}
    </>
  );
}
