const PLACEHOLDERS = new Set(["n/a", "na", "n.a.", "-", "--", "...", "none", "null", "test", "tbd", "todo", "x", "."]);

/**
 * A completion worth training on: not empty, not a placeholder such as "N/A". A "not useful"
 * without one is kept as an example that needs a completion and is never exported.
 */
export function isUsableCompletion(text: string | null | undefined): text is string {
  if (!text) return false;
  const trimmed = text.trim();
  return trimmed.length >= 2 && !PLACEHOLDERS.has(trimmed.toLowerCase());
}
