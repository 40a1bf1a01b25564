/**
 * The fixed taxonomy of why an AI reply was not useful. Shared by the database enum, the zod
 * schema of the model's structured output and the UI, so it has no imports.
 */
export const FAILURE_CATEGORIES = [
  "wrong_facts",
  "missed_question",
  "missing_action",
  "wrong_tone",
  "too_generic",
  "policy_problem",
  "hallucinated_detail",
  "other",
] as const;

export type FailureCategory = (typeof FAILURE_CATEGORIES)[number];

export const FAILURE_CATEGORY_LABELS: Record<FailureCategory, string> = {
  wrong_facts: "Wrong facts",
  missed_question: "Missed the question",
  missing_action: "Missing action",
  wrong_tone: "Wrong tone",
  too_generic: "Too generic",
  policy_problem: "Policy problem",
  hallucinated_detail: "Hallucinated detail",
  other: "Other",
};

/** One line per category, for the model's instructions and the UI's help text. */
export const FAILURE_CATEGORY_DESCRIPTIONS: Record<FailureCategory, string> = {
  wrong_facts: "states something about the order, account, product or policy that is false",
  missed_question: "does not answer what the customer actually asked",
  missing_action: "does not do or promise the concrete step the agent took (refund, replacement, unlock, escalation)",
  wrong_tone: "cold, defensive, blaming or too casual for the situation; no apology where one is due",
  too_generic: "a template that would fit any message; no specifics for this customer",
  policy_problem: "offers or refuses something against the company's policy",
  hallucinated_detail: "invents details (dates, amounts, tracking numbers, features) that are not known",
  other: "none of the above",
};
