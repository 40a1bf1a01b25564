import { FAILURE_CATEGORY_LABELS } from "@/lib/ai/failure-categories";
import type { PanelData } from "@/lib/analytics/load-panel";
import { replaysHref } from "@/lib/analytics/replays-href";
import type { DashboardFilters, PanelId } from "@/lib/analytics/schemas";

export type Cell = string | number | null;
/** `links[i][j]`, when set, is where the number in `rows[i][j]` leads (its replays, a run, a dataset); the CSV leaves links out. */
export type PanelTable = { columns: string[]; rows: Cell[][]; links?: (string | null)[][] };

const STAGE_LINKS: Partial<Record<string, (f: DashboardFilters) => string>> = {
  not_useful: (f) => replaysHref(f, { feedback: "no" }),
  approved: () => "/training/review?status=approved&scope=all",
  rejected: () => "/training/review?status=rejected&scope=all",
  merged: () => "/training/review?status=merged&scope=all",
};
function dropLink(key: string, d: PanelData["funnel"], filters: DashboardFilters): string | null {
  const link = STAGE_LINKS[key]?.(filters);
  if (link) return link;
  return (key === "too_long" || key === "export_duplicate") && d.latestExport ? `/training/datasets#dataset-${d.latestExport.id}` : null;
}
const score = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);

const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);

/** Every panel as plain rows and columns: the "Table" view and the CSV download show the same. */
export function toPanelTable<P extends PanelId>(panel: P, data: PanelData[P], filters?: DashboardFilters): PanelTable {
  switch (panel) {
    case "summary": {
      const d = data as PanelData["summary"];
      const row = (label: string, f: typeof d.current): Cell[] => [label, f.replays, f.submitted, f.pending, f.useful, pct(f.usefulRate), pct(f.unchangedShare)];
      return {
        columns: ["range", "replays", "feedback submitted", "pending", "useful", "useful %", "sent unchanged %"],
        rows: [row("selected", d.current), row(`previous (${d.previousFrom} – ${d.previousTo})`, d.previous)],
      };
    }
    case "usefulness": {
      const d = data as PanelData["usefulness"];
      return {
        columns: ["period", "model", "submitted", "useful", "useful %"],
        rows: [
          ...d.periods.flatMap((p) => [
            [p.period, "all", p.submitted, p.useful, pct(p.rate)] as Cell[],
            ...d.models.filter((m) => p.byModel[m]).map((m) => [p.period, m, p.byModel[m]!.submitted, p.byModel[m]!.useful, pct(p.byModel[m]!.rate)] as Cell[]),
          ]),
          ...d.promotions.flatMap((p) => [
            [p.day, `${p.version} promoted: 7 days before`, p.before.submitted, p.before.useful, pct(p.before.rate)] as Cell[],
            [p.day, `${p.version} promoted: 7 days after`, p.after.submitted, p.after.useful, pct(p.after.rate)] as Cell[],
          ]),
        ],
      };
    }
    case "volume": {
      const d = data as PanelData["volume"];
      return { columns: ["period", "replays", "feedback submitted", "pending"], rows: d.map((p) => [p.period, p.replays, p.submitted, p.pending]) };
    }
    case "agents": {
      const d = data as PanelData["agents"];
      return {
        columns: ["agent", "feedback submitted", "useful", "not useful", "useful %", "sent unchanged %"],
        rows: d.map((a) => [a.name, a.submitted, a.useful, a.notUseful, pct(a.usefulRate), pct(a.unchangedShare)]),
      };
    }
    case "topics": {
      const d = data as PanelData["topics"];
      return {
        columns: ["topic", "replays", "feedback submitted", "pending", "useful", "not useful", "useful %"],
        rows: d.map((t) => [t.topic ?? "(none)", t.replays, t.submitted, t.pending, t.useful, t.notUseful, pct(t.usefulRate)]),
      };
    }
    case "edits": {
      const d = data as PanelData["edits"];
      return { columns: ["words changed", "replies", "share %"], rows: d.buckets.map((b) => [b.label, b.count, pct(b.share)]) };
    }
    case "worst-prompts": {
      const d = data as PanelData["worst-prompts"];
      return {
        columns: ["not useful", "topic", "last seen", "example message", "prompt group"],
        rows: d.map((w) => [w.notUseful, w.topic, w.lastSeen, w.example, w.group]),
      };
    }
    case "funnel": {
      const d = data as PanelData["funnel"];
      const first = d.stages[0]!.count;
      return {
        columns: ["stage", "count", "share of not useful %", "left out"],
        rows: [
          ...d.stages.map((s) => [s.label, s.count, pct(first ? s.count / first : null), null] as Cell[]),
          ...d.dropped.map((s) => [s.label, null, null, s.count] as Cell[]),
        ],
        links: filters && [...d.stages.map((s) => [null, STAGE_LINKS[s.key]?.(filters) ?? null, null, null]), ...d.dropped.map((s) => [null, null, null, dropLink(s.key, d, filters)])],
      };
    }
    case "failures": {
      const d = data as PanelData["failures"];
      const rows: Cell[][] = d.categories.map((c) => [FAILURE_CATEGORY_LABELS[c.category], c.analyses, pct(d.total.analyses ? c.analyses / d.total.analyses : null), c.rated, c.agreed, pct(c.agreementRate)]);
      rows.push(["all categories", d.total.analyses, d.total.analyses ? 100 : null, d.total.rated, d.total.agreed, pct(d.total.agreementRate)]);
      const linksOf = (category?: string): (string | null)[] =>
        filters
          ? [null, replaysHref(filters, { feedback: "no", category }), null, replaysHref(filters, { feedback: "no", category, agreement: "rated" }), replaysHref(filters, { feedback: "no", category, agreement: "agreed" }), null]
          : [];
      return {
        columns: ["category (the AI's)", "analyses", "share %", "agent gave a category", "agent agreed", "agreement %"],
        rows,
        links: filters && [...d.categories.map((c) => linksOf(c.category)), linksOf()],
      };
    }
    case "runs": {
      const d = data as PanelData["runs"];
      return {
        columns: ["week", "target", "status", "dataset lines", "dataset format", "candidate", "against", "candidate score", "active score", "groups better", "groups worse", "groups even", "decision"],
        rows: d.map((r) => [r.isoWeek, r.target, r.status, r.datasetExamples, r.datasetFormat === "dpo" ? "preference pairs" : r.datasetFormat ? "examples" : null, r.candidate, r.baseline, score(r.candidateScore), score(r.baselineScore), r.groupsBetter, r.groupsWorse, r.groupsEven, r.decision?.replace("_", " ") ?? null]),
        links: d.map((r) => [`/retrain#run-${r.id}`, null, null, r.datasetId ? `/training/datasets#dataset-${r.datasetId}` : null, null, null, null, null, null, null, null, null, null]),
      };
    }
  }
  throw new Error(`Unknown panel ${String(panel)}`);
}

/**
 * RFC 4180 CSV. Cells starting with = + - @ (or tab/CR) get a leading apostrophe so that a
 * spreadsheet never runs customer text as a formula.
 */
export function toCsv(table: PanelTable): string {
  const cell = (value: Cell) => {
    if (value === null) return "";
    let text = String(value);
    if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [table.columns, ...table.rows].map((row) => row.map(cell).join(",")).join("\r\n") + "\r\n";
}
