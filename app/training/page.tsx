import Link from "next/link";
import { requirePageUser } from "@/lib/auth/session";
import { defaultSince, findWorstPrompts } from "@/lib/training/find-worst-prompts";
import { listGroupMembers } from "@/lib/training/list-group-members";
import { readTrainingSettings } from "@/lib/training/read-training-settings";
import { redactPii } from "@/lib/training/redact-pii";
import { WINDOW_CHOICES, worstPromptsQuerySchema } from "@/lib/training/schemas";
import { WorstPromptsTable } from "./worst-prompts-table";

export const metadata = { title: "Worst prompts" };
export const dynamic = "force-dynamic";

export default async function WorstPromptsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  await requirePageUser("manager");
  const settings = readTrainingSettings();
  const parsed = worstPromptsQuerySchema.safeParse(await searchParams);
  const days = (parsed.success ? parsed.data.days : undefined) ?? settings.windowDays;
  const since = defaultSince(days);
  // The group's first message, redacted like its members (lib/training/list-group-members.ts).
  const worst = (await findWorstPrompts({ since, threshold: settings.threshold })).map((w) => ({
    ...w,
    representative: redactPii(w.representative, { idPatterns: settings.idPatterns }).text,
  }));
  const members = await listGroupMembers({ groupIds: worst.map((w) => w.groupId), since });
  const totalNo = worst.reduce((n, w) => n + w.noCount, 0);
  const toReview = worst.reduce((n, w) => n + w.pendingReview, 0);

  return (
    <main className="py-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-xl font-semibold tracking-tight">Worst prompts</h1>
          <p className="mt-1 max-w-3xl text-sm text-slate-600">
            Questions with more than {settings.threshold} &ldquo;not useful&rdquo; in the last {days} days. Messages that ask the same thing are
            one group, however they are worded: synonyms, typos and word order are matched by meaning, and messages the agents answered
            with the same specific reply join too.
          </p>
        </div>
        <div role="group" aria-label="Window" className="flex overflow-hidden rounded-md border border-slate-300 bg-white text-sm">
          {[...new Set([...WINDOW_CHOICES, settings.windowDays])].sort((a, b) => a - b).map((choice) => (
            <Link
              key={choice}
              href={`/training?days=${choice}`}
              aria-current={choice === days ? "true" : undefined}
              className={`px-3 py-1.5 ${choice === days ? "bg-indigo-600 text-white" : "text-slate-600 hover:bg-slate-50"}`}
            >
              {choice} days
            </Link>
          ))}
        </div>
      </div>

      <dl className="mt-5 grid max-w-3xl grid-cols-3 gap-3">
        <Stat label="Prompt groups over the threshold" value={worst.length} />
        <Stat label="“Not useful” in those groups" value={totalNo} />
        <Stat label="Their examples waiting for review" value={toReview} />
      </dl>

      {worst.length === 0 ? (
        <p className="mt-10 rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-sm text-slate-600">
          No question has more than {settings.threshold} &ldquo;not useful&rdquo; in the last {days} days. Try a longer window.
        </p>
      ) : (
        <>
          <div className="mt-6 flex items-center justify-between">
            <h2 className="text-sm font-medium text-slate-700">Ranked by &ldquo;not useful&rdquo;</h2>
            <Link href={`/training/review?days=${days}`} className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700">
              Review all {toReview} waiting examples →
            </Link>
          </div>
          <WorstPromptsTable worst={worst} members={Object.fromEntries(members)} days={days} />
        </>
      )}
    </main>
  );
}

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-4 py-3">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold tabular-nums">{value.toLocaleString("en")}</dd>
    </div>
  );
}
