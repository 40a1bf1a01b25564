/** The settings an inferred label depends on (from lib/env.ts: HELPDESK_NOT_USEFUL_EDIT_RATIO, HELPDESK_*_TAGS). */
export type LabelSettings = { notUsefulEditRatio: number; acceptedTags: string[]; rejectedTags: string[] };

const MAX_WORDS = 255;
let previous = new Uint16Array(MAX_WORDS + 1);
let current = new Uint16Array(MAX_WORDS + 1);

function words(text: string): string[] {
  const kept = text.split(/\s+/).filter((w) => w !== "");
  return kept.length > MAX_WORDS ? kept.slice(0, MAX_WORDS) : kept;
}

const spaces = (text: string) => text.replace(/^ +| +$/g, "").replace(/\s+/g, " ");

/**
 * Word edits from the draft to the sent reply (`distance`) and that over the longer one's word
 * count (`ratio`: 0 = sent unchanged, 1 = rewritten). Exactly the dashboard's measure
 * (analytics_measure_edit in drizzle/0003: words split on whitespace, the first 255 of each, 0
 * only when the texts are equal up to whitespace), so an inferred label and the dashboard's
 * edit-ratio buckets agree. The import writes these columns itself (drizzle/0019).
 */
export function measureEdit(draft: string, sent: string): { distance: number; ratio: number } {
  if (spaces(draft) === spaces(sent)) return { distance: 0, ratio: 0 };
  const a = words(draft);
  const b = words(sent);
  const longest = Math.max(a.length, b.length, 1);
  if (a.length === 0 || b.length === 0) return { distance: longest, ratio: 1 };
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(substitution, previous[j]! + 1, current[j - 1]! + 1);
    }
    [previous, current] = [current, previous];
  }
  const distance = Math.max(previous[b.length]!, 1);
  return { distance, ratio: Math.min(distance / longest, 1) };
}

export function editRatio(draft: string, sent: string): number {
  return measureEdit(draft, sent).ratio;
}

/**
 * The label a helpdesk exchange gets when no agent gave one: the helpdesk's own signal first (a
 * tag saying the suggestion was used or dismissed), else "no" when the agent changed at least
 * `notUsefulEditRatio` of the draft. No draft at all: the AI had nothing useful ("no").
 */
export function inferLabel({
  draft,
  sent,
  tags,
  settings,
  ratio,
}: {
  draft: string | null;
  sent: string;
  tags: readonly string[];
  settings: LabelSettings;
  /** measureEdit(draft, sent).ratio, when the caller has it already */
  ratio?: number;
}): "yes" | "no" {
  if (tags.some((t) => settings.rejectedTags.includes(t.toLowerCase()))) return "no";
  if (tags.some((t) => settings.acceptedTags.includes(t.toLowerCase()))) return "yes";
  if (!draft || draft.trim() === "") return "no";
  return (ratio ?? editRatio(draft, sent)) >= settings.notUsefulEditRatio ? "no" : "yes";
}

export function labelSettingsFrom(env: { HELPDESK_NOT_USEFUL_EDIT_RATIO: number; HELPDESK_ACCEPTED_TAGS: string; HELPDESK_REJECTED_TAGS: string }): LabelSettings {
  const list = (value: string) => value.split(",").map((t) => t.trim().toLowerCase()).filter(Boolean);
  return { notUsefulEditRatio: env.HELPDESK_NOT_USEFUL_EDIT_RATIO, acceptedTags: list(env.HELPDESK_ACCEPTED_TAGS), rejectedTags: list(env.HELPDESK_REJECTED_TAGS) };
}
