import { z } from "zod";
import { UserError } from "@/lib/errors";

const DAY = 86_400_000;
/** The default view: the last 12 weeks, by week. */
export const DEFAULT_RANGE_DAYS = 84;
/** Longest range a query may span (about 5 years). */
export const MAX_RANGE_DAYS = 1_830;

export const isoDay = (date: Date) => date.toISOString().slice(0, 10);

const day = (label: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${label} must be a date like 2026-01-31`)
    .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && isoDay(new Date(`${v}T00:00:00Z`)) === v, `${label} is not a real date`);

const optionalText = z
  .string()
  .trim()
  .max(200)
  .optional()
  .transform((v) => v || undefined);

/**
 * The dashboard's filters, from the URL. Days are UTC calendar days of the replay's created_at;
 * both ends are inclusive. Missing ends default to the last 12 weeks ending today.
 */
export const dashboardFiltersSchema = z
  .object({
    from: day("from").optional(),
    to: day("to").optional(),
    agent: z.uuid("agent must be a user id").optional().or(z.literal("").transform(() => undefined)),
    topic: optionalText,
    model: optionalText,
    granularity: z.enum(["day", "week"]).default("week"),
  })
  .transform((v) => {
    const to = v.to ?? isoDay(new Date());
    const from = v.from ?? isoDay(new Date(Date.parse(`${to}T00:00:00Z`) - (DEFAULT_RANGE_DAYS - 1) * DAY));
    return { ...v, from, to };
  })
  .refine((v) => v.from <= v.to, { path: ["from"], message: "from must be on or before to" })
  .refine((v) => (Date.parse(v.to) - Date.parse(v.from)) / DAY < MAX_RANGE_DAYS, {
    path: ["from"],
    message: `The range may span at most ${MAX_RANGE_DAYS} days`,
  });

export type DashboardFilters = z.infer<typeof dashboardFiltersSchema>;

export const PANEL_IDS = [
  "summary",
  "usefulness",
  "volume",
  "agents",
  "topics",
  "edits",
  "worst-prompts",
  "funnel",
  "failures",
  "runs",
] as const;

export const panelIdSchema = z.enum(PANEL_IDS, { error: `panel must be one of: ${PANEL_IDS.join(", ")}` });
export type PanelId = z.infer<typeof panelIdSchema>;

/** For the export route: filters from a URL, or a UserError that says which one to fix. */
export function parseDashboardFilters(params: Record<string, string>): DashboardFilters {
  const parsed = dashboardFiltersSchema.safeParse(params);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ path: i.path.join(".") || "filters", message: i.message }));
  throw new UserError({ code: "invalid_filters", message: `Invalid dashboard filters: ${issues.map((i) => i.message).join("; ")}.`, issues });
}
