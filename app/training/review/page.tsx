import { requirePageUser } from "@/lib/auth/session";
import { listReviewQueue } from "@/lib/training/list-review-queue";
import { readTrainingSettings } from "@/lib/training/read-training-settings";
import { reviewQuerySchema } from "@/lib/training/schemas";
import { ReviewWorkspace } from "./review-workspace";

export const metadata = { title: "Review training examples" };
export const dynamic = "force-dynamic";

export default async function ReviewPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  await requirePageUser("manager");
  const parsed = reviewQuerySchema.safeParse(await searchParams);
  const query = parsed.success ? parsed.data : reviewQuerySchema.parse({});
  const settings = readTrainingSettings();
  const queue = await listReviewQueue(query);
  return (
    <ReviewWorkspace
      // A new query (filters) starts a fresh selection.
      key={JSON.stringify(query)}
      items={queue.items}
      total={queue.total}
      query={query}
      windowDays={query.days ?? settings.windowDays}
      threshold={settings.threshold}
      maxTokens={settings.maxTokens}
    />
  );
}
