/**
 * `node --conditions=react-server --import tsx scripts/check-demo-grouping.ts [--keep] [--all] [--pending]`
 *
 * What a new user's demo looks like, grouped: in its own embedded PostgreSQL (.data/check-demo,
 * emptied first), migrates, seeds the demo (timed), groups by meaning as `npm start` does
 * (regroupReplays; `--pending`: groupPendingReplays, as a reader of groups would), then
 * prints the worst prompts with how many different wordings (normalised text) each group holds
 * and which seed topics it mixes, the topics that have enough "no" in the window but no worst
 * group of their own, and each topic's wordings that landed outside its main group.
 * `--all` also lists every group a topic's messages fell into. Exits 1 on a mixed group or a
 * topic split out of the worst prompts (a check, unlike a bench).
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { closeDb, getPool, useDatabaseUrl } from "@/lib/db/client";
import { startEmbeddedDatabase } from "@/lib/db/embedded";
import { runMigrations } from "@/lib/db/migrate";
import { DEMO_TOPICS } from "@/lib/demo/demo-topics";
import { seedDemo } from "@/lib/demo/seed-demo";
import { normalizePrompt } from "@/lib/feedback/normalize-prompt";
import { groupPendingReplays } from "@/lib/meaning/group-pending-replays";
import { regroupReplays } from "@/lib/meaning/regroup-replays";
import { defaultSince, findWorstPrompts } from "@/lib/training/find-worst-prompts";
import { readTrainingSettings } from "@/lib/training/read-training-settings";

const DATA_DIR = path.join(".data", "check-demo");
const { values: flags } = parseArgs({
  options: { keep: { type: "boolean", default: false }, all: { type: "boolean", default: false }, pending: { type: "boolean", default: false } },
});

type Row = { group_id: string; topic: string; message: string; feedback: string; agent_reply: string; recent: boolean };

async function main() {
  rmSync(DATA_DIR, { recursive: true, force: true });
  const db = await startEmbeddedDatabase({ dataDir: path.join(DATA_DIR, "postgres"), database: "check_demo" });
  let failed = false;
  try {
    await runMigrations(db.url);
    useDatabaseUrl(db.url);
    const settings = readTrainingSettings();
    const since = defaultSince(settings.windowDays);

    let started = performance.now();
    const seeded = await seedDemo();
    console.log(`▸ seeded ${seeded.replays} replays in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    started = performance.now();
    const grouped = flags.pending ? (await groupPendingReplays({ waitMs: 60_000 })).grouped : (await regroupReplays()).replays;
    console.log(`▸ grouped ${grouped} replays (${flags.pending ? "groupPendingReplays" : "regroupReplays, as npm start"}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const worst = await findWorstPrompts({ since, threshold: settings.threshold });
    const { rows } = await getPool().query<Row>(
      `SELECT prompt_group_id AS group_id, topic, message, feedback, agent_reply, created_at >= $1 AS recent
       FROM feedback_replay_log WHERE status = 'submitted'`,
      [since],
    );
    const byGroup = new Map<string, Row[]>();
    for (const row of rows) byGroup.set(row.group_id, [...(byGroup.get(row.group_id) ?? []), row]);
    const wordings = (list: Row[]) => new Set(list.map((r) => normalizePrompt(r.message))).size;
    const topicsOf = (list: Row[]) => {
      const counts = new Map<string, number>();
      for (const r of list) counts.set(r.topic, (counts.get(r.topic) ?? 0) + 1);
      return [...counts].sort((a, b) => b[1] - a[1]);
    };

    console.log(`\n▸ worst prompts (> ${settings.threshold} "no" in ${settings.windowDays} days): ${worst.length}`);
    const worstTopics = new Map<string, number>();
    for (const w of worst) {
      const list = byGroup.get(w.groupId) ?? [];
      const topics = topicsOf(list);
      for (const [t] of topics) worstTopics.set(t, (worstTopics.get(t) ?? 0) + 1);
      const mixed = topics.length > 1;
      if (mixed) failed = true;
      console.log(
        `  ${String(w.noCount).padStart(3)} no · ${String(wordings(list)).padStart(2)} wordings · ${topics.map(([t, n]) => `${t} ×${n}`).join(" + ")}${mixed ? "  ✖ MIXED" : ""}`,
      );
    }

    console.log(`\n▸ topics with > ${settings.threshold} "no" in the window`);
    const topics = [...new Set(rows.map((r) => r.topic))].sort();
    for (const topic of topics) {
      const mine = rows.filter((r) => r.topic === topic);
      const recentNo = mine.filter((r) => r.recent && r.feedback === "no").length;
      const groups = [...new Set(mine.map((r) => r.group_id))];
      const main = groups.map((g) => ({ g, n: mine.filter((r) => r.group_id === g).length })).sort((a, b) => b.n - a.n)[0]!;
      const outside = [...new Set(mine.filter((r) => r.group_id !== main.g).map((r) => normalizePrompt(r.message)))];
      const inWorst = worstTopics.get(topic) ?? 0;
      const worstIds = new Set(worst.map((w) => w.groupId));
      const recentNoInWorst = mine.filter((r) => r.recent && r.feedback === "no" && worstIds.has(r.group_id)).length;
      const verdict = recentNo <= settings.threshold ? "(below threshold)" : inWorst === 1 ? "✔ one worst group" : inWorst === 0 ? "✖ not in worst prompts" : `✖ ${inWorst} worst groups`;
      if (recentNo > settings.threshold && inWorst !== 1) failed = true;
      console.log(`  ${topic.padEnd(26)} ${String(recentNo).padStart(3)} no · ${groups.length} groups · ${wordings(mine)} wordings (${wordings(mine) - outside.length} only in its main group) · ${recentNoInWorst}/${recentNo} of its recent "no" in worst prompts ${verdict}`);
      const inMain = new Set(mine.filter((r) => r.group_id === main.g).map((r) => normalizePrompt(r.message)));
      for (const wording of outside) console.log(`      ${inMain.has(wording) ? "also outside" : "only outside"}: ${wording}`);
      if (flags.all || groups.length > 1) {
        for (const g of groups) {
          const list = mine.filter((r) => r.group_id === g);
          // Which answer each replay got: the AI's (a "yes"), agent A, B or C's wording, the other agent's answer, none.
          const seed = DEMO_TOPICS.find((t) => t.topic === topic)!;
          const head = (text: string) => text.replace(/#?(\{n\}|\d+)/g, "").slice(0, 24);
          const answers = new Map<string, number>();
          for (const r of list) {
            const i = seed.agentReplies.findIndex((a) => head(a) === head(r.agent_reply));
            const kind = r.feedback === "yes" ? "ai" : i >= 0 ? "ABC"[i]! : seed.alternativeReply && head(seed.alternativeReply) === head(r.agent_reply) ? "alt" : "N/A";
            answers.set(kind, (answers.get(kind) ?? 0) + 1);
          }
          console.log(
            `      group ${g.slice(0, 8)}${g === main.g ? " (main)" : ""}: ${list.length} replays (${list.filter((r) => r.feedback === "no").length} no), ${wordings(list)} wordings, ${topicsOf(byGroup.get(g)!).length} topics; answers ${[...answers].sort().map(([k, n]) => `${k}×${n}`).join(" ")}`,
          );
        }
      }
    }
    console.log(`\n${failed ? "✖" : "✔"} ${failed ? "a mixed group or a split topic (above)" : "every topic over the threshold is one worst group; no group mixes topics"}`);
  } finally {
    await closeDb();
    await db.stop();
    if (!flags.keep) rmSync(DATA_DIR, { recursive: true, force: true });
  }
  if (failed) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
