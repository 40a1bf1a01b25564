import type { FieldIssue } from "@/lib/errors";

const NUL = /\u0000/g;
const shown = (text: string) => text.replace(NUL, "\\u0000");

/**
 * Why a request target cannot be read as sent, or null: a NUL anywhere (PostgreSQL text cannot
 * hold it), or percent-encoding that is not UTF-8 (URLSearchParams would silently make it
 * U+FFFD). The issue names the query parameter, or `(path)`. Used by proxy.ts (every page and
 * route, under any server) and by the front server, which sees the raw target before Next.js
 * re-encodes it.
 */
export function findBadUrl(pathname: string, search: string): FieldIssue | null {
  const raw = search.startsWith("?") ? search.slice(1) : search;
  if (raw && (raw.includes("%") || raw.includes("\u0000"))) {
    for (const pair of raw.split("&")) {
      const cut = pair.indexOf("=");
      const name = (cut < 0 ? pair : pair.slice(0, cut)).replace(/\+/g, " ");
      const value = cut < 0 ? "" : pair.slice(cut + 1).replace(/\+/g, " ");
      let decodedName = name;
      try {
        decodedName = decodeURIComponent(name);
        const decoded = decodeURIComponent(value);
        if (decodedName.includes("\u0000") || decoded.includes("\u0000")) {
          return { path: shown(decodedName), message: `The query parameter ${shown(decodedName)} must not contain NUL characters (%00).` };
        }
      } catch {
        return { path: shown(decodedName), message: `The query parameter ${shown(decodedName)} is not valid percent-encoded UTF-8.` };
      }
    }
  }
  if (pathname.includes("%") || pathname.includes("\u0000")) {
    try {
      if (decodeURIComponent(pathname).includes("\u0000")) return { path: "(path)", message: "The path must not contain NUL characters (%00)." };
    } catch {
      return { path: "(path)", message: "The path is not valid percent-encoded UTF-8." };
    }
  }
  return null;
}
