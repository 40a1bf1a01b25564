import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { requirePageUser } from "@/lib/auth/session";
import { findWorstPrompts } from "@/lib/training/find-worst-prompts";
import { getPromptGroup } from "@/lib/training/get-prompt-group";
import { readTrainingSettings } from "@/lib/training/read-training-settings";
import { redactPii } from "@/lib/training/redact-pii";
import { RedactedText } from "../../review/redacted-text";
import { GroupWorkspace } from "./group-workspace";

export const metadata = { title: "Prompt group" };
export const dynamic = "force-dynamic";

export default async function PromptGroupPage({ params }: { params: Promise<{ groupId?: string }> }) {
  await requirePageUser("manager");
  const id = z.uuid().safeParse((await params).groupId);
  if (!id.success) notFound();
  const group = await getPromptGroup({ id: id.data });
  if (!group) notFound();
  // Where a wording can go: the groups near this one, then the worst prompts.
  const { idPatterns } = readTrainingSettings();
  const worst = await findWorstPrompts({ limit: 30 });
  const targets = [
    ...group.nearby.map((n) => ({ id: n.id, label: n.representative })),
    ...worst.map((w) => ({ id: w.groupId, label: redactPii(w.representative, { idPatterns }).text })),
  ].filter((t, i, all) => t.id !== group.id && all.findIndex((o) => o.id === t.id) === i);

  return (
    <main className="py-6">
      <Link href="/training" className="text-sm text-indigo-700 hover:underline">
        ← Worst prompts
      </Link>
      <h1 className="mt-2 max-w-4xl text-xl font-semibold tracking-tight" data-testid="group-title">
        <RedactedText text={group.representative} />
      </h1>
      <p className="mt-1 max-w-3xl text-sm text-slate-600">
        {group.wordingCount.toLocaleString("en")} {group.wordingCount === 1 ? "wording" : "wordings"} (a message repeated with other numbers or case is one) · {group.replays.toLocaleString("en")} replays ·{" "}
        {group.noCount.toLocaleString("en")} &ldquo;not useful&rdquo;, all time. Beside each wording: the closest other wording and the words they
        share (&ldquo;money ~ refund&rdquo;: other words, same meaning), or the agents&rsquo; same answer. Split, move or merge to correct the
        grouping; the decision is pinned, and a regroup keeps it.
      </p>
      <GroupWorkspace group={group} targets={targets} />
    </main>
  );
}
