import { z } from "zod";
import { describeUnstorableText } from "@/lib/api/find-unstorable-text";

/**
 * A string that can be stored exactly as sent: no NUL, no lone surrogate. The one text rule for
 * schemas that read input which did not come through parseJsonBody (server actions, search
 * params); `label` names the field in the message.
 */
export const storableStringSchema = (label: string) =>
  z.string({ error: `${label} must be a string` }).superRefine((value, ctx) => {
    const problem = describeUnstorableText(value);
    if (problem) ctx.addIssue({ code: "custom", message: `${label} ${problem}` });
  });
