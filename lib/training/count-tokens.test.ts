import { encodeChat } from "gpt-tokenizer/encoding/o200k_base";
import { describe, expect, it } from "vitest";
import { loadChatTokenCounter, type ChatMessage } from "@/lib/training/count-tokens";

describe("loadChatTokenCounter", () => {
  it("matches gpt-tokenizer's chat encoding for o200k models", async () => {
    const countChatTokens = await loadChatTokenCounter();
    const chat: ChatMessage[] = [
      { role: "system", content: "You are a helpful support agent." },
      { role: "user", content: "Hey, I never got my refund for order [ORDER_ID] — can you check? 🙏" },
      { role: "assistant", content: "I'm sorry about that. The refund left us on Monday; banks take 3–5 days." },
    ];
    expect(countChatTokens(chat)).toBe(encodeChat(chat, "gpt-4o").length);
    expect(countChatTokens(chat.slice(1))).toBe(encodeChat(chat.slice(1), "gpt-4o").length);
  });
});
