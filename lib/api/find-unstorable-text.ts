import type { FieldIssue } from "@/lib/errors";

// A NUL (PostgreSQL text cannot hold it) or any surrogate; the second pass tells a lone one from a pair.
const SUSPECT = /[\u0000\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why `text` cannot be stored exactly as sent, or null when it can. PostgreSQL refuses NUL in
 * text, and a lone UTF-16 surrogate (a JSON `"\ud800"`) has no UTF-8 form: node-postgres would
 * silently store U+FFFD instead. Both are refused with a message rather than changed.
 */
export function describeUnstorableText(text: string): string | null {
  if (!SUSPECT.test(text)) return null;
  if (text.includes("\u0000")) return "must not contain NUL characters (\\u0000)";
  if (LONE_SURROGATE.test(text)) return "must not contain a lone UTF-16 surrogate (such as \\ud800): it is not valid Unicode text";
  return null;
}

/**
 * The first string (value or object key) anywhere in a parsed JSON value that cannot be stored
 * exactly as sent, with its path (`message`, `items.2.text`). One rule for every JSON body and
 * server action argument, before any schema runs. Iterative: a body nested thousands deep does
 * not overflow the stack.
 */
export function findUnstorableText(root: unknown): FieldIssue | null {
  const stack: { value: unknown; path: string[] }[] = [{ value: root, path: [] }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { value, path } = next;
    if (typeof value === "string") {
      const problem = describeUnstorableText(value);
      if (problem) return { path: path.join(".") || "(body)", message: `${path.at(-1) ?? "The body"} ${problem}` };
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: [...path, String(i)] });
    } else if (typeof value === "object" && value !== null) {
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        const problem = describeUnstorableText(key);
        if (problem) return { path: [...path, "(key)"].join("."), message: `A field name ${problem}` };
        stack.push({ value: child, path: [...path, key] });
      }
    }
  }
  return null;
}
