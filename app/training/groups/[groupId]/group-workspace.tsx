"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import type { PromptGroupDetail } from "@/lib/training/get-prompt-group";
import { RedactedText } from "../../review/redacted-text";
import { mergeGroupsAction, moveWordingsAction, releasePinsAction, splitGroupAction, type GroupActionResult } from "./actions";
import { SharedTerms, WordingReason } from "./wording-reason";

type Banner = { tone: "info" | "error"; message: string; link?: { href: string; label: string } } | null;

const plural = (n: number, word: string) => `${n.toLocaleString("en")} ${word}${n === 1 ? "" : "s"}`;

export function GroupWorkspace({ group, targets }: { group: PromptGroupDetail; targets: { id: string; label: string }[] }) {
  const router = useRouter();
  const [selected, setSelected] = useState<Set<string>>(() => new Set());
  const [into, setInto] = useState(targets[0]?.id ?? "");
  const [banner, setBanner] = useState<Banner>(null);
  const [pending, startTransition] = useTransition();
  const moveId = useId();
  const visible = new Set(group.wordings.map((w) => w.hash));
  const chosen = [...selected].filter((h) => visible.has(h));

  function run(work: () => Promise<GroupActionResult>, describe: (r: Extract<GroupActionResult, { ok: true }>) => Banner) {
    startTransition(async () => {
      const result = await work();
      if (!result.ok) {
        setBanner({ tone: "error", message: result.message });
        return;
      }
      setSelected(new Set());
      setBanner(describe(result));
      router.refresh();
    });
  }

  const toggle = (hash: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (!next.delete(hash)) next.add(hash);
      return next;
    });

  const split = () =>
    run(
      () => splitGroupAction({ groupId: group.id, hashes: chosen }),
      (r) => ({ tone: "info", message: `Split ${plural(r.wordings, "wording")} (${plural(r.replays, "replay")}) into a new group.`, link: { href: `/training/groups/${r.groupId}`, label: "Open the new group →" } }),
    );
  const move = () => {
    const everything = chosen.length === group.wordingCount;
    run(
      () => moveWordingsAction({ groupId: group.id, hashes: chosen, into }),
      (r) => {
        // This group is gone when every wording left it.
        if (everything) router.push(`/training/groups/${r.groupId}`);
        return { tone: "info", message: `Moved ${plural(r.wordings, "wording")} (${plural(r.replays, "replay")}).`, link: { href: `/training/groups/${r.groupId}`, label: "Open that group →" } };
      },
    );
  };
  const merge = (other: string) =>
    run(
      () => mergeGroupsAction({ groupId: other, into: group.id }),
      (r) => ({ tone: "info", message: `Merged ${plural(r.wordings, "wording")} (${plural(r.replays, "replay")}) into this group.` }),
    );

  const pinned = group.wordings.filter((w) => w.pinned).length;
  const release = () =>
    startTransition(async () => {
      const result = await releasePinsAction({ groupId: group.id });
      setBanner(
        result.ok
          ? { tone: "info", message: `The engine decides for ${plural(result.wordings, "wording")} again; they stay here until the next regroup places them.` }
          : { tone: "error", message: result.message },
      );
      router.refresh();
    });

  return (
    <>
      {banner && (
        <div
          role={banner.tone === "error" ? "alert" : "status"}
          data-testid="group-banner"
          className={`mt-4 max-w-4xl rounded-md border px-3 py-2 text-sm ${banner.tone === "error" ? "border-rose-200 bg-rose-50 text-rose-800" : "border-emerald-200 bg-emerald-50 text-emerald-900"}`}
        >
          {banner.message}{" "}
          {banner.link && (
            <Link href={banner.link.href} className="font-medium underline">
              {banner.link.label}
            </Link>
          )}
        </div>
      )}

      <section className="mt-6 max-w-4xl" aria-labelledby="wordings-heading">
        <div className="flex flex-wrap items-center gap-3 rounded-t-lg border border-b-0 border-slate-200 bg-slate-50 px-3 py-2 text-sm" data-testid="group-actions">
          <h2 id="wordings-heading" className="mr-auto font-medium text-slate-700">
            Wordings {chosen.length > 0 && <span className="font-normal text-slate-500">· {chosen.length} selected</span>}
          </h2>
          <button
            type="button"
            onClick={split}
            disabled={pending || chosen.length === 0 || chosen.length >= group.wordingCount}
            className="rounded-md bg-indigo-600 px-3 py-1.5 font-medium text-white hover:bg-indigo-700 disabled:cursor-not-allowed disabled:opacity-40"
          >
            Split into a new group
          </button>
          {targets.length > 0 && (
            <span className="flex items-center gap-1.5">
              <label htmlFor={moveId} className="text-slate-600">
                or move to
              </label>
              <select id={moveId} value={into} onChange={(e) => setInto(e.target.value)} className="max-w-56 rounded-md border border-slate-300 bg-white px-2 py-1.5">
                {targets.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.label.length > 60 ? `${t.label.slice(0, 60)}…` : t.label}
                  </option>
                ))}
              </select>
              <button
                type="button"
                onClick={move}
                disabled={pending || chosen.length === 0 || !into}
                className="rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium text-slate-700 hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-40"
              >
                Move
              </button>
            </span>
          )}
        </div>
        {pinned > 0 && (
          <div className="flex flex-wrap items-center gap-2 border border-b-0 border-slate-200 bg-amber-50/60 px-3 py-2 text-xs text-amber-900" data-testid="pins">
            <span className="mr-auto">
              {pinned === group.wordings.length ? "Every wording shown" : plural(pinned, "wording")} {pinned === 1 ? "was" : "were"} placed here by a manager: a regroup keeps {pinned === 1 ? "it" : "them"} here.
            </span>
            <button
              type="button"
              onClick={release}
              disabled={pending}
              className="rounded-md border border-amber-300 bg-white px-2.5 py-1 font-medium text-amber-900 hover:bg-amber-100 disabled:cursor-not-allowed disabled:opacity-40"
            >
              Let the engine decide again
            </button>
          </div>
        )}
        <ul className="divide-y divide-slate-100 rounded-b-lg border border-slate-200 bg-white" data-testid="wordings">
          {group.wordings.map((w) => (
            <li key={w.hash} data-testid="wording" className="flex gap-3 px-3 py-3">
              <input
                type="checkbox"
                id={`w-${w.hash}`}
                checked={selected.has(w.hash)}
                onChange={() => toggle(w.hash)}
                className="mt-1 size-4 shrink-0 accent-indigo-600"
                aria-describedby={`why-${w.hash}`}
              />
              <div className="min-w-0 flex-1">
                <label htmlFor={`w-${w.hash}`} className="block cursor-pointer text-sm text-slate-900">
                  <RedactedText text={w.text} />
                  {w.pinned && (
                    <span className="ml-2 rounded bg-amber-50 px-1.5 py-px text-xs font-medium text-amber-800" title="A manager placed this wording here; regrouping keeps it">
                      pinned
                    </span>
                  )}
                </label>
                <div id={`why-${w.hash}`} className="mt-1">
                  <WordingReason wording={w} only={group.wordingCount === 1} />
                </div>
              </div>
              <div className="shrink-0 text-right text-xs tabular-nums">
                <span className="text-rose-700" title="not useful">{w.noCount}✗</span> <span className="text-emerald-700" title="useful">{w.yesCount}✓</span>
                <div className="text-slate-400">{plural(w.replays, "replay")}</div>
              </div>
            </li>
          ))}
          {group.wordingCount > group.wordings.length && (
            <li className="px-3 py-2 text-xs text-slate-400">… and {group.wordingCount - group.wordings.length} more wordings with fewer replays</li>
          )}
        </ul>
      </section>

      {group.nearby.length > 0 && (
        <section className="mt-8 max-w-4xl" aria-labelledby="nearby-heading">
          <h2 id="nearby-heading" className="text-sm font-medium text-slate-700">
            Nearby groups
          </h2>
          <p className="mt-0.5 text-xs text-slate-500">The closest other groups by meaning. If one asks the same question, merge it into this one.</p>
          <ul className="mt-2 divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white" data-testid="nearby-groups">
            {group.nearby.map((n) => (
              <li key={n.id} className="flex items-start gap-3 px-3 py-3 text-sm" data-testid="nearby-group">
                <div className="min-w-0 flex-1">
                  <Link href={`/training/groups/${n.id}`} className="text-slate-900 hover:underline">
                    <RedactedText text={n.representative} />
                  </Link>
                  <p className="mt-1 text-xs text-slate-500">
                    {Math.round(n.score * 100)}% alike · {plural(n.replays, "replay")}, {n.noCount} &ldquo;not useful&rdquo; <SharedTerms shared={n.shared} />
                  </p>
                </div>
                <button
                  type="button"
                  onClick={() => merge(n.id)}
                  disabled={pending}
                  className="shrink-0 rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 hover:bg-slate-100 disabled:opacity-40"
                >
                  Merge into this group
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
