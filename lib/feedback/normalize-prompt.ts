import { createHash } from "node:crypto";

/**
 * Lower-cases, replaces ids, emails, amounts and numbers by tokens, drops punctuation and
 * collapses whitespace, so "Where is order #12345?" and "where is order 99881" count as one prompt.
 */
export function normalizePrompt(message: string): string {
  return message
    .toLowerCase()
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, " <email> ")
    .replace(/[$€£]\s?\d[\d,.]*|\d[\d,.]*\s?(usd|eur|gbp|dollars?|euros?)\b/g, " <amount> ")
    .replace(/#?\b[a-z]*\d[\w-]*\b/g, " <id> ")
    .replace(/[^\p{L}\p{N}<>\s]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

export function hashPrompt(message: string): string {
  return createHash("md5").update(normalizePrompt(message)).digest("hex");
}
