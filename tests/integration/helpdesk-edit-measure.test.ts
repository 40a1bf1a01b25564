import { describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/client";
import { measureEdit } from "@/lib/integrations/infer-label";

// An import writes edit_distance / edit_ratio itself (the insert trigger skips rows with an
// import_key, drizzle/0019): it must be the trigger's measure, or the dashboard's buckets drift.
const PAIRS: [string, string][] = [
  ["Your refund is on its way.", "Your refund is on its way."],
  ["Your refund is on its way.", "  Your refund   is on its way.  "],
  ["Your refund is on its way.", "Your refund was sent today, sorry!"],
  ["a b c d", "a b x d"],
  ["Short.", "A much longer reply that rewrites everything the draft said, with more words."],
  ["Same words\nnew lines", "Same words new lines"],
  ["Case Matters", "case matters"],
  [Array.from({ length: 300 }, (_, i) => `w${i}`).join(" "), Array.from({ length: 300 }, (_, i) => `w${i + 1}`).join(" ")],
];

describe("measureEdit", () => {
  it("gives the analytics trigger's edit distance and ratio", async () => {
    for (const [draft, sent] of PAIRS) {
      const { rows } = await getPool().query(
        `WITH x AS (SELECT analytics_word_codes($1) AS a, analytics_word_codes($2) AS b)
         SELECT CASE WHEN regexp_replace(btrim($1), '\\s+', ' ', 'g') = regexp_replace(btrim($2), '\\s+', ' ', 'g') THEN 0
                     ELSE greatest(levenshtein(a, b), 1) END AS distance,
                greatest(length(a), length(b), 1) AS longest FROM x`,
        [draft, sent],
      );
      const expected = { distance: rows[0].distance, ratio: Math.min(rows[0].distance / rows[0].longest, 1) };
      const got = measureEdit(draft, sent);
      expect(got.distance, `${draft} → ${sent}`).toBe(expected.distance);
      expect(got.ratio).toBeCloseTo(expected.ratio, 6);
    }
  });
});
