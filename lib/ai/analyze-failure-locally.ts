import type { FailureCase } from "@/lib/ai/analyze-failure";
import type { FailureCategory } from "@/lib/ai/failure-categories";
import { failureAnalysisSchema, type FailureAnalysis } from "@/lib/ai/schemas";

export const LOCAL_ANALYSIS_MODEL = "local-heuristic@v1";

const STOP = new Set(
  "a about after again all also am an and any are as at be been before being but by can could did do does doing for from get got had has have having he her here hi his how i if in into is it its just let me more my no not now of on once only or our out over please so some such than that the their them then there these they this those to too up us very was we were what when where which while who why will with would yes you your yours hello hey thanks thank dear team".split(" "),
);

const words = (text: string) => new Set((text.toLowerCase().match(/[a-z][a-z'-]{2,}/g) ?? []).filter((w) => !STOP.has(w)));

/**
 * Numbers, amounts, time spans and days: the specifics a good reply tends to carry. Keyed in lower
 * case (for comparing), valued as written (for quoting).
 */
const specifics = (text: string) =>
  new Map(
    (text.match(/#?\d+(?:[,.:/-]\d+)*(?:\s?(?:%|business days|days|hours|minutes|weeks))?|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tomorrow|tonight)\b/gi) ?? []).map((s) => [s.toLowerCase(), s]),
  );

/** "I've refunded …", "we'll send …": up to the end of the clause. */
const ACTION = /\b(?:i|we)(?:'ve| have|'ll| will)\s+[^.,;:!?\n]{2,60}/gi;
const APOLOGY = /\b(?:sorry|apologi[sz]e|apologies)\b/i;

const list = (items: string[], max = 4) => items.slice(0, max).map((i) => `"${i.trim().slice(0, 60)}"`).join(", ");

/**
 * The local provider's self-critique: no model, just a comparison of the two replies (what the
 * agent's reply covers that the AI reply lacks: specifics, actions, the customer's own words,
 * apology, length). Labelled `local-heuristic@v1` wherever it is shown.
 */
export function analyzeFailureLocally({ message, aiReply, agentReply }: FailureCase): FailureAnalysis {
  const agent = agentReply?.trim() ?? "";
  if (agent.length < 2) {
    return failureAnalysisSchema.parse({
      category: "other",
      explanation: "The agent marked the AI reply not useful without giving the reply they sent, so there is nothing to compare it with.",
      suggested_fix: "Add the reply that was sent; the miss then becomes training data and can be analysed.",
    });
  }

  const aiSpecifics = specifics(aiReply);
  const agentSpecifics = specifics(agent);
  const messageSpecifics = specifics(message);
  const missingSpecifics = [...agentSpecifics].filter(([key]) => !aiSpecifics.has(key)).map(([, shown]) => shown);
  const invented = [...aiSpecifics].filter(([key]) => !agentSpecifics.has(key) && !messageSpecifics.has(key)).map(([, shown]) => shown);
  const agentActions = agent.match(ACTION) ?? [];
  const aiActions = aiReply.match(ACTION) ?? [];
  const asked = words(message);
  const aiWords = words(aiReply);
  const answeredByAgent = [...words(agent)].filter((w) => asked.has(w) && !aiWords.has(w));
  const aiCoversMessage = [...aiWords].filter((w) => asked.has(w)).length;

  let category: FailureCategory;
  let explanation: string;
  let fix: string;
  if (invented.length > 0 && agentSpecifics.size > 0) {
    category = "hallucinated_detail";
    explanation = `The AI reply states ${list(invented)}, which neither the customer nor the agent mentioned; the agent gave ${list([...agentSpecifics.values()])} instead.`;
    fix = "Only state details that are known from the message or the account; otherwise say what will be checked.";
  } else if (agentActions.length > 0 && aiActions.length === 0) {
    category = "missing_action";
    explanation = `The agent's reply takes or promises a concrete step (${list(agentActions, 2)})${missingSpecifics.length ? ` with specifics (${list(missingSpecifics)})` : ""}; the AI reply commits to nothing.`;
    fix = "Say what is being done for the customer and when, instead of asking them to wait or to act themselves.";
  } else if (/\?/.test(message) && answeredByAgent.length >= 2 && aiCoversMessage <= 1) {
    category = "missed_question";
    explanation = `The customer asked about ${list(answeredByAgent, 5)}; the agent's reply answers that, the AI reply does not address it.`;
    fix = "Answer the customer's question directly in the first sentence.";
  } else if (missingSpecifics.length > 0 || (aiCoversMessage === 0 && agent.length > aiReply.length * 1.5)) {
    category = "too_generic";
    explanation = missingSpecifics.length
      ? `The agent's reply gives specifics (${list(missingSpecifics)}) that the AI reply lacks; the AI reply would fit almost any message.`
      : `The AI reply (${aiReply.length} characters) uses none of the customer's words; the agent's reply (${agent.length} characters) deals with this case.`;
    fix = "Use this customer's details and give a concrete next step instead of a template.";
  } else if (APOLOGY.test(agent) && !APOLOGY.test(aiReply)) {
    category = "wrong_tone";
    explanation = "The agent apologises and acknowledges the problem; the AI reply does not.";
    fix = "Acknowledge the problem and apologise where something went wrong before explaining.";
  } else {
    category = "other";
    explanation = "The replies differ in ways this heuristic cannot name: the agent's reply covers nothing obviously missing from the AI reply.";
    fix = "Compare the two replies; a configured OpenAI model gives a fuller analysis.";
  }
  // Same schema as a model's answer: the heuristic can never store something malformed either.
  return failureAnalysisSchema.parse({ category, explanation: explanation.slice(0, 1_000), suggested_fix: fix });
}
