/** Shared formatting for the dashboard's charts and figures. */
export const percent = (value: number | null | undefined, digits = 0) =>
  value === null || value === undefined ? "–" : `${(value * 100).toFixed(digits)}%`;

export const count = (value: number) => value.toLocaleString("en-US");

/** "2026-03-02" → "2 Mar" (UTC, so a day never shifts with the viewer's time zone). */
export const shortDay = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });

export const MODEL_COLORS = ["#0ea5e9", "#f59e0b", "#10b981", "#ec4899", "#8b5cf6", "#64748b", "#ef4444", "#14b8a6"];
/**
 * Axis tick text. `width: 0` overrides the axis width recharts hands each tick's Text: with a width,
 * Text measures every word of every label in the DOM to wrap it, a forced layout per word on each
 * render; labels here are short and need no wrapping.
 */
export const AXIS = { fontSize: 11, fill: "#64748b", width: 0 };

/**
 * The x axis's tick interval for `periods` points: about a dozen labels, chosen by count. A number
 * spares recharts measuring every label's text in the browser (its default does, per chart, per
 * render), which on a year by day was most of the page's drawing time.
 */
export const periodTickInterval = (periods: number) => Math.max(0, Math.ceil(periods / 12) - 1);

/** Beyond this many periods, stacked bars become stacked areas: one path per series, not a rect per period. */
export const MAX_BAR_PERIODS = 60;
