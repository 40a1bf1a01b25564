import { z } from "zod";
import { storableStringSchema } from "@/lib/api/schemas";
import { TARGET_NAMES } from "@/lib/retrain/fine-tune-target";

/**
 * A manager's choice on /retrain: a target, how it trains, and optionally the base model
 * (blank: FINE_TUNE_BASE_MODEL); or `use: "configuration"` to go back to the environment's.
 * Whether the method suits the target and the target is configured is checked on save.
 */
export const retrainSettingInputSchema = z.discriminatedUnion("use", [
  z.object({ use: z.literal("configuration") }),
  z.object({
    use: z.literal("page"),
    target: z.enum(TARGET_NAMES, { error: `Choose a target: ${TARGET_NAMES.join(", ")}.` }),
    method: z.enum(["sft", "dpo", "sft-dpo"], { error: "Choose SFT, DPO or SFT then DPO." }),
    baseModel: storableStringSchema("Base model")
      .trim()
      .max(200, "The base model name is at most 200 characters.")
      .regex(/^[^\s]*$/, "A base model name has no spaces (for example meta-llama/Meta-Llama-3.1-8B-Instruct-Reference).")
      .optional()
      .transform((v) => v || undefined),
  }),
]);

export type RetrainSettingInput = z.infer<typeof retrainSettingInputSchema>;
