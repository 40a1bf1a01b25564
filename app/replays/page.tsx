import { requirePageUser } from "@/lib/auth/session";
import { readEnv } from "@/lib/env";
import { listQueue, listQueueTopics } from "@/lib/feedback/list-queue";
import { queueQuerySchema } from "@/lib/feedback/schemas";
import { ReplayWorkspace } from "./replay-workspace";

export const metadata = { title: "Replays" };
export const dynamic = "force-dynamic";

export default async function ReplaysPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const user = await requirePageUser("agent");
  const parsed = queueQuerySchema.safeParse(await searchParams);
  const query = parsed.success ? parsed.data : queueQuerySchema.parse({});
  const [queue, topics] = await Promise.all([listQueue({ ...query, viewerId: user.id }), listQueueTopics()]);
  return <ReplayWorkspace initialQueue={queue} topics={topics} initialQuery={query} reservationSeconds={readEnv().REPLAY_RESERVATION_SECONDS} />;
}
