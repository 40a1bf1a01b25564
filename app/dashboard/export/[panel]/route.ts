import { jsonError } from "@/lib/api/json-error";
import { loadPanel } from "@/lib/analytics/load-panel";
import { toCsv, toPanelTable } from "@/lib/analytics/panel-tables";
import { panelIdSchema, parseDashboardFilters } from "@/lib/analytics/schemas";
import { requireUser } from "@/lib/auth/session";
import { UserError } from "@/lib/errors";

export const dynamic = "force-dynamic";

/** GET /dashboard/export/<panel>?from&to&agent&topic&model&granularity → the panel's numbers as CSV. Managers and admins. */
export async function GET(request: Request, { params }: { params: Promise<{ panel: string }> }) {
  try {
    await requireUser("manager");
    const panel = panelIdSchema.safeParse((await params).panel);
    if (!panel.success) throw new UserError({ code: "not_found", status: 404, message: panel.error.issues[0]!.message });
    const filters = parseDashboardFilters(Object.fromEntries(new URL(request.url).searchParams));
    const csv = toCsv(toPanelTable(panel.data, await loadPanel(panel.data, filters)));
    return new Response(csv, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="feedback-replay-${panel.data}-${filters.from}-to-${filters.to}.csv"`,
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    return jsonError(error, "dashboard/export");
  }
}
