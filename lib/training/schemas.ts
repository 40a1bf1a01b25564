import { z } from "zod";
import { storableStringSchema } from "@/lib/api/schemas";

export const WINDOW_CHOICES = [7, 30, 90, 365] as const;

/** /training: the window of the worst-prompts table, in days. */
export const worstPromptsQuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(3650).optional(),
});

export const reviewStatusSchema = z.enum(["pending", "approved", "rejected", "merged"]);

/** /training/review filters (from the URL). */
export const reviewQuerySchema = z.object({
  status: z.enum(["pending", "approved", "rejected", "merged", "all"]).default("pending"),
  group: z.uuid().optional(),
  scope: z.enum(["worst", "all"]).default("worst"),
  conflicts: z.enum(["1", "0"]).optional().transform((v) => v === "1"),
  q: z.string().trim().max(200).optional(),
  days: z.coerce.number().int().min(1).max(3650).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});
export type ReviewQuery = z.infer<typeof reviewQuerySchema>;

/** Bulk decisions: hundreds of examples in one statement. */
export const reviewDecisionSchema = z.object({
  ids: z.array(z.uuid("not an example id")).min(1, "Select at least one example.").max(2000, "At most 2,000 examples at once."),
  decision: z.enum(["approve", "reject", "reopen"]),
});

export const editCompletionSchema = z.object({
  id: z.uuid("not an example id"),
  completion: storableStringSchema("The reply")
    .max(32_000, "The reply must be at most 32,000 characters.")
    .refine((v) => v.trim().length >= 2, "Write the reply the AI should have given."),
});

export const mergeExamplesSchema = z.object({
  ids: z.array(z.uuid("not an example id")).min(1, "Select the duplicates to merge.").max(2000),
  into: z.uuid("not an example id"),
});

export const datasetSourceSchema = z.enum(["approved", "worst-prompts"]);
export const datasetSplitSchema = z.enum(["all", "train", "validation"]);

/** GET /api/training/export */
export const exportQuerySchema = z.object({
  source: datasetSourceSchema.default("approved"),
  split: datasetSplitSchema.default("all"),
  /** sft: chat lines; dpo: preference pairs (issue 13). */
  format: z.enum(["sft", "dpo"], { error: "format must be sft or dpo" }).default("sft"),
  dataset: z.uuid("dataset must be a dataset id").optional(),
  days: z.coerce.number().int().min(1).max(3650).optional(),
});
export type ExportQuery = z.infer<typeof exportQuerySchema>;

/** A wording of a prompt group: md5 of the normalised message (feedback_replay_log.prompt_hash). */
const wordingSchema = z.string().regex(/^[0-9a-f]{32}$/, "not a wording id");
const wordingsSchema = z.array(wordingSchema).min(1, "Select at least one wording.").max(500, "At most 500 wordings at once.");

/** /training/groups/[id]: the selected wordings leave the group for a new one. */
export const splitGroupSchema = z.object({ groupId: z.uuid("not a group id"), hashes: wordingsSchema });

/** The selected wordings move to another group. */
export const moveWordingsSchema = z
  .object({ groupId: z.uuid("not a group id"), hashes: wordingsSchema, into: z.uuid("not a group id") })
  .refine((v) => v.into !== v.groupId, { message: "Pick another group.", path: ["into"] });

/** Every wording of `groupId` joins `into`; `groupId` is gone afterwards. */
export const releasePinsSchema = z.object({ groupId: z.uuid("not a group id") });

export const mergeGroupsSchema = z
  .object({ groupId: z.uuid("not a group id"), into: z.uuid("not a group id") })
  .refine((v) => v.into !== v.groupId, { message: "Pick another group.", path: ["into"] });
