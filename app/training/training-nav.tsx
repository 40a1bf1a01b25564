"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const TABS = [
  { href: "/training", label: "Worst prompts" },
  { href: "/training/review", label: "Review" },
  { href: "/training/datasets", label: "Datasets" },
];

export function TrainingNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Training" className="flex gap-1 border-b border-slate-200">
      {TABS.map((tab) => {
        const active = tab.href === "/training" ? pathname === "/training" : pathname.startsWith(tab.href);
        return (
          <Link
            key={tab.href}
            href={tab.href}
            aria-current={active ? "page" : undefined}
            className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${
              active ? "border-indigo-600 text-indigo-700" : "border-transparent text-slate-500 hover:text-slate-800"
            }`}
          >
            {tab.label}
          </Link>
        );
      })}
    </nav>
  );
}
