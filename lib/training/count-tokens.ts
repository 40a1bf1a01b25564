import { countTokens } from "gpt-tokenizer/encoding/o200k_base";

export type ChatMessage = { role: "system" | "user" | "assistant"; content: string };

// Chat framing in o200k models: <|im_start|>role<|im_sep|>content<|im_end|> is 4 tokens besides the
// content, and the reply is primed with 3 more. Counting content this way gives the same number as
// gpt-tokenizer's encodeChat (see the test) at a fraction of the cost.
const PER_MESSAGE = 4;
const REPLY_PRIMING = 3;

/** Tokens of one chat example, as the fine-tuning API counts them (o200k_base: GPT-4o and later). */
export function countChatTokens(messages: readonly ChatMessage[]): number {
  let total = REPLY_PRIMING;
  for (const message of messages) total += PER_MESSAGE + countTokens(message.content);
  return total;
}
