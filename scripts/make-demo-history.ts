/**
 * Writes examples/demo-history.jsonl: a helpdesk's past conversations in the import format
 * (`npm run cli -- import examples/demo-history.jsonl`), made from the demo topics. Deterministic,
 * so the committed file only changes when the topics do. Run:
 *   node --conditions=react-server --import tsx scripts/make-demo-history.ts
 */
import { writeFileSync } from "node:fs";
import { DEMO_TOPICS, DEMO_USERS } from "@/lib/demo/demo-topics";

const agents = DEMO_USERS.filter((u) => u.role === "agent");
const start = Date.UTC(2026, 5, 1, 9);
const lines: string[] = [];
let ticket = 81_000;
DEMO_TOPICS.forEach((topic, t) => {
  topic.messages.forEach((message, m) => {
    for (let round = 0; round < 2; round++) {
      const n = ticket++;
      const agent = (t + m + round) % 3;
      const reply = topic.agentReplies[agent]!.replaceAll("{n}", String(40_000 + n));
      // Some agents send the AI's draft as it is (useful), others rewrite it (not useful); a
      // third of the lines carry the agent's own label, the rest are inferred from the edit.
      const sentDraft = (m + round) % 4 === 0;
      const line = {
        ticketId: `ZD-${n}`,
        message: message.replaceAll("{n}", String(40_000 + n)),
        aiReply: topic.aiReply,
        agentReply: sentDraft ? topic.aiReply : reply,
        ...((m + round) % 3 === 0 ? { feedback: sentDraft ? "yes" : "no" } : {}),
        agentEmail: agents[agent]!.email,
        topic: topic.topic,
        createdAt: new Date(start + (t * 20 + m * 2 + round) * 3_600_000 * 7).toISOString(),
      };
      lines.push(JSON.stringify(line));
    }
  });
});
writeFileSync("examples/demo-history.jsonl", lines.join("\n") + "\n");
const csv = ["ticketId,message,aiReply,agentReply,feedback,agentEmail,createdAt"];
const quote = (s: string) => `"${s.replaceAll('"', '""')}"`;
for (const raw of lines.slice(0, 40)) {
  const l = JSON.parse(raw);
  csv.push([l.ticketId, quote(l.message), quote(l.aiReply), quote(l.agentReply), l.feedback ?? "", l.agentEmail, l.createdAt].join(","));
}
writeFileSync("examples/demo-history.csv", csv.join("\r\n") + "\r\n");
console.log(`Wrote ${lines.length} lines to examples/demo-history.jsonl and 40 to examples/demo-history.csv.`);
