import type { ReactNode } from "react";

export type DataColumn = {
  label: string;
  align?: "left" | "right";
  /** A column without a visible heading (row actions): the label is read by screen readers only. */
  hidden?: boolean;
};

/**
 * The app's plain data table: bordered white card, small uppercase headings, hairline rows.
 * Rows are the caller's `<tr>`s; `empty` is shown under the headings when there are none.
 */
export function DataTable({
  columns,
  children,
  empty,
  className = "",
  bodyClassName = "",
}: {
  columns: DataColumn[];
  children: ReactNode;
  empty?: ReactNode;
  className?: string;
  bodyClassName?: string;
}) {
  return (
    <div className={`overflow-x-auto rounded-lg border border-slate-200 bg-white ${className}`}>
      <table className="w-full text-left text-sm">
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            {columns.map((column) => (
              <th key={column.label} scope="col" className={`px-4 py-2 font-medium ${column.align === "right" ? "text-right" : ""}`}>
                {column.hidden ? <span className="sr-only">{column.label}</span> : column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className={`divide-y divide-slate-100 ${bodyClassName}`}>{children}</tbody>
      </table>
      {empty && <div className="px-4 py-6 text-sm text-slate-500">{empty}</div>}
    </div>
  );
}
