"use server";

import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { toErrorBody } from "@/lib/errors";
import { moveWordings, type WordingMove } from "@/lib/meaning/move-wordings";
import { releaseGroupPins } from "@/lib/meaning/release-group-pins";
import { mergeGroupsSchema, moveWordingsSchema, releasePinsSchema, splitGroupSchema } from "@/lib/training/schemas";

export type GroupActionResult = { ok: true; groupId: string; wordings: number; replays: number } | { ok: false; code: string; message: string };

/** Managers only: the caller, then the input, then one move of wordings (lib/meaning/move-wordings.ts). */
async function runGroupAction<S extends z.ZodType>(
  context: string,
  schema: S,
  raw: unknown,
  toMove: (input: z.infer<S>) => Omit<WordingMove, "actor">,
): Promise<GroupActionResult> {
  try {
    const user = await requireUser("manager");
    const parsed = schema.safeParse(raw);
    if (!parsed.success) return { ok: false, code: "invalid_request", message: parsed.error.issues[0]?.message ?? "Invalid request." };
    const result = await moveWordings({ ...toMove(parsed.data), actor: { id: user.id, email: user.email ?? "" } });
    revalidatePath("/training", "layout");
    return { ok: true, groupId: result.groupId, wordings: result.wordings, replays: result.replays };
  } catch (error) {
    const { code, message } = toErrorBody(error, context).body.error;
    return { ok: false, code, message };
  }
}

/** The selected wordings leave the group for a new group of their own. */
export async function splitGroupAction(raw: unknown): Promise<GroupActionResult> {
  return runGroupAction("splitGroupAction", splitGroupSchema, raw, (v) => ({ kind: "split", from: v.groupId, hashes: v.hashes }));
}

/** The selected wordings join another group. */
export async function moveWordingsAction(raw: unknown): Promise<GroupActionResult> {
  return runGroupAction("moveWordingsAction", moveWordingsSchema, raw, (v) => ({ kind: "move", from: v.groupId, hashes: v.hashes, into: v.into }));
}

/** Every wording of `groupId` joins `into`, and `groupId` is removed. */
export async function mergeGroupsAction(raw: unknown): Promise<GroupActionResult> {
  return runGroupAction("mergeGroupsAction", mergeGroupsSchema, raw, (v) => ({ kind: "merge", from: v.groupId, into: v.into }));
}

/** The engine decides for the group's wordings again: a manager's pins on it are removed. */
export async function releasePinsAction(raw: unknown): Promise<{ ok: true; wordings: number } | { ok: false; code: string; message: string }> {
  try {
    const user = await requireUser("manager");
    const parsed = releasePinsSchema.safeParse(raw);
    if (!parsed.success) return { ok: false, code: "invalid_request", message: parsed.error.issues[0]?.message ?? "Invalid request." };
    const result = await releaseGroupPins({ groupId: parsed.data.groupId, actor: { id: user.id, email: user.email ?? "" } });
    revalidatePath("/training", "layout");
    return { ok: true, wordings: result.wordings };
  } catch (error) {
    const { code, message } = toErrorBody(error, "releasePinsAction").body.error;
    return { ok: false, code, message };
  }
}
