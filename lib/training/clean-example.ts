import { createHash } from "node:crypto";
import { normalizePrompt } from "@/lib/feedback/normalize-prompt";
import type { ChatMessage, ChatTokenCounter } from "@/lib/training/count-tokens";
import { addCounts, redactPii, type RedactionCounts } from "@/lib/training/redact-pii";

export type CleanExample = {
  prompt: string;
  completion: string;
  redactions: RedactionCounts;
  tokenCount: number;
  /** Same for examples that are equal once redacted and normalised (case, punctuation, numbers). */
  exactKey: string;
};

/** The chat an example becomes: optional system prompt, the customer's message, the better reply. */
export function toChatMessages({ systemPrompt, prompt, completion }: { systemPrompt: string | null; prompt: string; completion: string }): ChatMessage[] {
  const messages: ChatMessage[] = systemPrompt ? [{ role: "system", content: systemPrompt }] : [];
  messages.push({ role: "user", content: prompt }, { role: "assistant", content: completion });
  return messages;
}

/** Redaction, token count and duplicate key of one example: what review shows and export sends. */
export function cleanExample({
  prompt,
  completion,
  names,
  idPatterns,
  systemPrompt,
  countChatTokens,
}: {
  countChatTokens: ChatTokenCounter;
  prompt: string;
  completion: string;
  names: (string | null | undefined)[];
  idPatterns: string[];
  systemPrompt: string | null;
}): CleanExample {
  const p = redactPii(prompt, { names, idPatterns });
  const c = redactPii(completion, { names, idPatterns });
  const exactKey = createHash("md5").update(`${normalizePrompt(p.text)}\n${normalizePrompt(c.text)}`).digest("hex");
  return {
    prompt: p.text,
    completion: c.text,
    redactions: addCounts(p.counts, c.counts),
    tokenCount: countChatTokens(toChatMessages({ systemPrompt, prompt: p.text, completion: c.text })),
    exactKey,
  };
}
