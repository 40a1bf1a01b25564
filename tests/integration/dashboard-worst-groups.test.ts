import { describe, expect, it } from "vitest";
import { findWorstPrompts } from "@/lib/analytics/find-worst-prompts";
import { getPool } from "@/lib/db/client";
import { filtersFor, insertReplays, uniqueTopic } from "../support/analytics-fixtures";

describe("findWorstPrompts with prompt groups", () => {
  it("counts near-duplicates of one prompt group together and links the group", async () => {
    const topic = uniqueTopic();
    const at = (d: string) => `2001-06-${d}T10:00:00Z`;
    const ids = await insertReplays([
      { at: at("04"), topic, feedback: "no", message: "Where is my refund for my order?" },
      { at: at("05"), topic, feedback: "no", message: "where is the refund for my order" },
      { at: at("06"), topic, feedback: "no", message: "Where's my refund for the order??" },
      { at: at("06"), topic, feedback: "no", message: "How do I cancel my plan?" },
    ]);
    // The training pipeline put the three refund messages in one group (different hashes).
    const { rows } = await getPool().query(
      "INSERT INTO prompt_groups (representative, normalized, prompt_hash) VALUES ('Where is my refund?', 'where is my refund', md5(gen_random_uuid()::text)) RETURNING id",
    );
    const groupId = rows[0].id as string;
    await getPool().query("UPDATE feedback_replay_log SET prompt_group_id = $1 WHERE id = ANY($2)", [groupId, ids.slice(0, 3)]);

    const worst = await findWorstPrompts(filtersFor({ topic, from: "2001-06-01", to: "2001-06-30" }));
    expect(worst.map((w) => [w.notUseful, w.groupId, w.example])).toEqual([
      [3, groupId, "Where's my refund for the order??"],
      [1, null, "How do I cancel my plan?"],
    ]);
  });

  it("shows each group's message redacted, as the review does", async () => {
    const topic = uniqueTopic();
    await insertReplays([
      { at: "2001-07-04T10:00:00Z", topic, feedback: "no", message: "Refund please, write to jane.doe@example.com or call +1 415 555 0134" },
    ]);
    const [worst] = await findWorstPrompts(filtersFor({ topic, from: "2001-07-01", to: "2001-07-31" }));
    expect(worst!.example).not.toContain("jane.doe@example.com");
    expect(worst!.example).not.toContain("555 0134");
    expect(worst!.example).toMatch(/^Refund please, write to \[[A-Z_]+\] or call \[[A-Z_]+\]$/);
  });
});
