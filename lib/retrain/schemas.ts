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

/**
 * The deployment a manager made in Azure for a run's fine-tuned model. Azure's deployment names:
 * letters, digits, '-', '_' and '.', up to 64 characters. Refused, never trimmed.
 */
export const azureDeploymentInputSchema = z.object({
  runId: z.uuid({ error: "This is not a retrain run id." }),
  deploymentName: storableStringSchema("Deployment name")
    .min(2, "Enter the deployment's name (at least 2 characters).")
    .max(64, "A deployment name is at most 64 characters.")
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "A deployment name has only letters, digits, '-', '_' and '.', and starts with a letter or digit."),
});
