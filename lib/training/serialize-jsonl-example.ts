import { toChatMessages } from "@/lib/training/clean-example";

/** One example in OpenAI's chat fine-tuning format: `{"messages":[…]}`, one line of the file. */
export function toJsonlExample({ systemPrompt, prompt, completion }: { systemPrompt: string | null; prompt: string; completion: string }) {
  return { messages: toChatMessages({ systemPrompt, prompt, completion }) };
}

/**
 * The same text as JSON.stringify(example), built from the escaped strings only. The definition
 * of a line: exports write the same bytes without making strings (createJsonlBuffer cuts its
 * framing out of this function's output).
 */
export function serializeJsonlExample(example: ReturnType<typeof toJsonlExample>): string {
  let line = '{"messages":[';
  for (let i = 0; i < example.messages.length; i++) {
    const m = example.messages[i]!;
    line += `${i ? "," : ""}{"role":"${m.role}","content":${JSON.stringify(m.content)}}`;
  }
  return line + "]}";
}
