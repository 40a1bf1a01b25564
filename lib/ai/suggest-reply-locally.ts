import type { Correction } from "@/lib/ai/find-similar-corrections";

/** What the local model says when no past message is similar enough: honest, not invented. */
export const GENERIC_REPLY =
  "Thanks for getting in touch, and sorry for the trouble. I'm looking into this now and will get back to you shortly with a specific answer.";

export type LocalSuggestion = { text: string; basis: { kind: "retrieved"; similarity: number; source: Correction["source"] } | { kind: "generic" } };

const NUMBER = /#?\b\d[\d-]{2,}\b/g;
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;

/**
 * The local model: the reply agents gave to the most similar past message, with that customer's
 * order numbers and email addresses swapped for this customer's (or a placeholder), so no other
 * customer's details leak into a suggestion. Names are not detected: agents review every reply.
 */
export function suggestReplyLocally({ message, corrections }: { message: string; corrections: Correction[] }): LocalSuggestion {
  const best = corrections[0];
  if (!best) return { text: GENERIC_REPLY, basis: { kind: "generic" } };
  return {
    text: adaptReply({ reply: best.reply, pastMessage: best.message, message }),
    basis: { kind: "retrieved", similarity: best.similarity, source: best.source },
  };
}

export function adaptReply({ reply, pastMessage, message }: { reply: string; pastMessage: string; message: string }): string {
  const swap = (pattern: RegExp, placeholder: string, text: string) => {
    const past = [...new Set(pastMessage.match(pattern) ?? [])].map((v) => v.replace(/^#/, ""));
    const now = [...new Set(message.match(pattern) ?? [])].map((v) => v.replace(/^#/, ""));
    return text.replace(pattern, (found) => {
      const bare = found.replace(/^#/, "");
      const index = past.indexOf(bare);
      if (index === -1) return found; // a number of the reply itself: "5-10 business days"
      const hash = found.startsWith("#") ? "#" : "";
      return now[index] !== undefined ? `${hash}${now[index]}` : placeholder;
    });
  };
  return swap(EMAIL, "[email]", swap(NUMBER, "[order number]", reply));
}
