import Link from "next/link";
import type { ReactNode } from "react";

const TABS = [
  { href: "/admin", label: "Settings" },
  { href: "/admin/users", label: "Users" },
  { href: "/admin/api-keys", label: "API keys" },
  { href: "/admin/integrations", label: "Integrations" },
  { href: "/admin/audit", label: "Audit log" },
] as const;

/** Tabs of the admin area; each page checks the admin role itself. */
export function AdminNav({ current }: { current: (typeof TABS)[number]["href"] }) {
  return (
    <nav aria-label="Admin" className="mb-6 flex gap-1 border-b border-slate-200 text-sm">
      {TABS.map((tab) => (
        <Link
          key={tab.href}
          href={tab.href}
          aria-current={tab.href === current ? "page" : undefined}
          className={`-mb-px border-b-2 px-3 py-2 ${tab.href === current ? "border-indigo-600 font-medium text-slate-900" : "border-transparent text-slate-500 hover:text-slate-900"}`}
        >
          {tab.label}
        </Link>
      ))}
    </nav>
  );
}

/** An admin page: the heading, the tabs, then the page's own content. */
export function AdminShell({ current, wide = false, children }: { current: (typeof TABS)[number]["href"]; wide?: boolean; children: ReactNode }) {
  return (
    <main className={`mx-auto px-4 py-8 ${wide ? "max-w-6xl" : "max-w-5xl"}`}>
      <h1 className="mb-4 text-2xl font-semibold tracking-tight">Admin</h1>
      <AdminNav current={current} />
      {children}
    </main>
  );
}

export function formatTime(date: Date | null | undefined): string {
  return date ? date.toISOString().replace("T", " ").slice(0, 16) + " UTC" : "never";
}
