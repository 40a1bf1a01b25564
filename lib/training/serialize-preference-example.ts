import type { ChatMessage } from "@/lib/training/count-tokens";

/**
 * One preference pair in the JSONL that OpenAI, Azure OpenAI, Together and Fireworks share for
 * DPO: the conversation up to the customer's message, the agent's reply preferred, the AI's reply
 * (marked "not useful") not.
 */
export function toPreferenceExample({ systemPrompt, prompt, preferred, rejected }: { systemPrompt: string | null; prompt: string; preferred: string; rejected: string }) {
  const messages: ChatMessage[] = systemPrompt ? [{ role: "system", content: systemPrompt }] : [];
  messages.push({ role: "user", content: prompt });
  return {
    input: { messages },
    preferred_output: [{ role: "assistant" as const, content: preferred }],
    non_preferred_output: [{ role: "assistant" as const, content: rejected }],
  };
}

/**
 * The same text as JSON.stringify(example), from the escaped strings only: the definition of a
 * preference line (createJsonlBuffer cuts its framing out of this function's output).
 */
export function serializePreferenceExample(example: ReturnType<typeof toPreferenceExample>): string {
  const list = (messages: { role: string; content: string }[]) => messages.map((m) => `{"role":"${m.role}","content":${JSON.stringify(m.content)}}`).join(",");
  return `{"input":{"messages":[${list(example.input.messages)}]},"preferred_output":[${list(example.preferred_output)}],"non_preferred_output":[${list(example.non_preferred_output)}]}`;
}
