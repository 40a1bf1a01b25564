/**
 * Replaces personal data in a customer message or an agent reply by typed placeholders before
 * anything leaves the building. Pure and deterministic (no database, no model), so the review view
 * shows exactly what an export will contain.
 *
 * Order matters: emails first (they contain digits and dots), then IBANs and card numbers (checked
 * with mod-97 and Luhn, so an order number is not mistaken for a card), then the configured id
 * patterns, then phone numbers, postal addresses and the names the helpdesk gave us.
 */
export const PLACEHOLDERS = ["EMAIL", "PHONE", "CARD", "IBAN", "ADDRESS", "ORDER_ID", "NAME"] as const;
export type PlaceholderKind = (typeof PLACEHOLDERS)[number];
export type RedactionCounts = Partial<Record<PlaceholderKind, number>>;

/** Order, account and invoice numbers. REDACT_ID_PATTERNS (a JSON array of regexes) replaces these. */
export const DEFAULT_ID_PATTERNS = [
  String.raw`#\d{4,}\b`,
  String.raw`(?<=\b(?:order|account|acct|invoice|customer|contract|case|booking|reference|ref)(?:\s+(?:no\.?|nr\.?|number|id))?\s*[:#]?\s*)(?=[a-z-]*\d)[a-z0-9][a-z0-9-]{3,}\b`,
];

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
const IBAN = /\b[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]){11,30}\b/g;
const CARD = /\b\d(?:[ -]?\d){12,18}\b/g;
const PHONE = /(?:(?<![\w+])\+|\b00)\d{1,3}[\s.-]?(?:\(\d{1,4}\)[\s.-]?)?\d(?:[\s.-]?\d){5,12}\b|(?<!\w)\(\d{3}\)\s?\d{3}[\s.-]\d{4}\b|\b\d{3}[.-]\d{3}[.-]\d{4}\b|\b0\d{2,4}[\s-]\d{3,4}[\s-]?\d{3,4}\b/g;
const STREET_SUFFIX =
  "Street|St\\.?|Road|Rd\\.?|Avenue|Ave\\.?|Boulevard|Blvd\\.?|Lane|Ln\\.?|Drive|Dr\\.?|Court|Ct\\.?|Way|Place|Pl\\.?|Square|Sq\\.?|Parkway|Pkwy\\.?|Terrace|Close|Crescent|Highway|Hwy\\.?|Row|Mews|Gardens";
const UK_POSTCODE = String.raw`[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}`;
const US_STATE_ZIP = String.raw`[A-Z]{2}\s+\d{5}(?:-\d{4})?`;
const ADDRESS = new RegExp(
  [
    // 221B Baker Street, London NW1 6XE · 1600 Amphitheatre Parkway, Mountain View, CA 94043
    String.raw`\b\d{1,5}[A-Za-z]?,?\s+(?:[A-Z][\p{L}'.-]*\s+){0,4}(?:${STREET_SUFFIX})(?=[\s,.;!?)]|$)` +
      String.raw`(?:,?\s*(?:Apt|Apartment|Suite|Unit|Flat)\.?\s*[\w-]+)?` +
      String.raw`(?:,\s*\p{Lu}[\p{Ll}'-]+(?:\s\p{Lu}[\p{Ll}'-]+){0,2})?(?:,?\s*(?:${US_STATE_ZIP}|${UK_POSTCODE}))?`,
    // Hauptstraße 5, 10115 Berlin
    String.raw`\b[A-ZÄÖÜ][\p{L}-]*(?:straße|strasse|str\.|weg|gasse|platz|allee|laan|straat|gatan|vej)\s+\d{1,4}[a-z]?(?:,\s*\d{4,5}\s+[A-ZÄÖÜ][\p{L}-]+)?`,
    // 12 rue de la Paix, 75002 Paris
    String.raw`\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|boulevard|bd|place|chemin|allée|impasse|quai|via|calle|viale|piazza)\s+(?:[\p{L}'-]+\s?){1,5}(?:,\s*\d{4,5}\s+[\p{Lu}][\p{L}-]+)?`,
    // A UK postcode on its own identifies a handful of houses.
    String.raw`\b${UK_POSTCODE}\b`,
  ].join("|"),
  "gu",
);

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** ISO 13616: move the first four characters to the end, letters to numbers, mod 97 must be 1. */
function ibanChecksumOk(raw: string): boolean {
  const iban = raw.replace(/[ -]/g, "");
  if (iban.length < 15 || iban.length > 34) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const value = /\d/.test(ch) ? ch : String(ch.charCodeAt(0) - 55);
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function namePattern(names: readonly string[]): RegExp | null {
  const parts = new Set<string>();
  for (const name of names) {
    const full = name.trim().replace(/\s+/g, " ");
    if (full.length < 2) continue;
    parts.add(escapeRegExp(full).replace(/ /g, "\\s+"));
    // First and last names on their own, when they look like names (capitalised, 2+ letters).
    for (const part of full.split(" ")) if (/^\p{Lu}[\p{L}'-]+$/u.test(part)) parts.add(escapeRegExp(part));
  }
  if (parts.size === 0) return null;
  // Longest first, so "Jane Roe" is one [NAME], not two.
  const alternatives = [...parts].sort((a, b) => b.length - a.length).join("|");
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives})(?![\\p{L}\\p{N}])`, "gu");
}

export type RedactOptions = {
  /** Names the helpdesk gave us (the customer's, the agent's). */
  names?: readonly (string | null | undefined)[];
  /** Regular expressions for order/account ids; defaults to DEFAULT_ID_PATTERNS. */
  idPatterns?: readonly string[];
};

export type Redaction = { text: string; counts: RedactionCounts };

export function compileIdPatterns(patterns: readonly string[] = DEFAULT_ID_PATTERNS): RegExp[] {
  return patterns.map((p) => new RegExp(p, "giu"));
}

const compiledDefaults = compileIdPatterns();
const compiledCache = new Map<string, RegExp[]>();

function idRegexes(patterns: readonly string[] | undefined): RegExp[] {
  if (!patterns) return compiledDefaults;
  const key = JSON.stringify(patterns);
  let compiled = compiledCache.get(key);
  if (!compiled) {
    compiled = compileIdPatterns(patterns);
    compiledCache.set(key, compiled);
  }
  return compiled;
}

export function redactPii(input: string, { names = [], idPatterns }: RedactOptions = {}): Redaction {
  const counts: RedactionCounts = {};
  const replace = (text: string, pattern: RegExp, kind: PlaceholderKind, accept: (match: string) => boolean = () => true) =>
    text.replace(pattern, (match) => {
      if (!accept(match)) return match;
      counts[kind] = (counts[kind] ?? 0) + 1;
      return `[${kind}]`;
    });

  let text = replace(input, EMAIL, "EMAIL");
  text = replace(text, IBAN, "IBAN", ibanChecksumOk);
  text = replace(text, CARD, "CARD", (m) => {
    const digits = m.replace(/\D/g, "");
    return digits.length >= 13 && digits.length <= 19 && luhn(digits);
  });
  for (const pattern of idRegexes(idPatterns)) text = replace(text, pattern, "ORDER_ID");
  text = replace(text, PHONE, "PHONE", (m) => {
    const digits = m.replace(/\D/g, "").length;
    return digits >= 7 && digits <= 15;
  });
  text = replace(text, ADDRESS, "ADDRESS");
  const names_ = namePattern(names.filter((n): n is string => !!n));
  if (names_) text = replace(text, names_, "NAME");
  return { text, counts };
}

/** Adds up redaction counts (for a prompt and its completion, or a whole export). */
export function addCounts(...all: (RedactionCounts | null | undefined)[]): RedactionCounts {
  const total: RedactionCounts = {};
  for (const counts of all) {
    for (const [kind, n] of Object.entries(counts ?? {})) total[kind as PlaceholderKind] = (total[kind as PlaceholderKind] ?? 0) + (n ?? 0);
  }
  return total;
}
