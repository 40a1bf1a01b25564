import type { PanelData } from "@/lib/analytics/load-panel";
import type { PanelId } from "@/lib/analytics/schemas";

export type Cell = string | number | null;
export type PanelTable = { columns: string[]; rows: Cell[][] };

const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);

/** Every panel as plain rows and columns: the "Table" view and the CSV download show the same. */
export function toPanelTable<P extends PanelId>(panel: P, data: PanelData[P]): PanelTable {
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
        rows: d.periods.flatMap((p) => [
          [p.period, "all", p.submitted, p.useful, pct(p.rate)] as Cell[],
          ...d.models.filter((m) => p.byModel[m]).map((m) => [p.period, m, p.byModel[m]!.submitted, p.byModel[m]!.useful, pct(p.byModel[m]!.rate)] as Cell[]),
        ]),
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
      return { columns: ["stage", "count"], rows: d.map((s) => [s.label, s.count]) };
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
