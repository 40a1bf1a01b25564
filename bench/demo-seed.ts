/**
 * `npm run bench:demo-seed`: the demo seed (`npm start` on an empty database) in its own embedded
 * PostgreSQL (.data/bench-demo-seed, emptied first), timed: the total against the 60 s target, and
 * per week the traffic (suggest → verdict → self-critique) and the retrain, with each week's
 * usefulness and what the retrain decided. Prints the load average: the machine may be shared.
 */
import { rmSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { closeDb, getPool, useDatabaseUrl } from "@/lib/db/client";
import { startEmbeddedDatabase } from "@/lib/db/embedded";
import { runMigrations } from "@/lib/db/migrate";
import { seedDemo } from "@/lib/demo/seed-demo";

const DATA_DIR = path.join(".data", "bench-demo-seed");
const TARGET_SECONDS = 60;

async function main() {
  rmSync(DATA_DIR, { recursive: true, force: true });
  const db = await startEmbeddedDatabase({ dataDir: path.join(DATA_DIR, "postgres"), database: "bench_demo_seed" });
  try {
    await runMigrations(db.url);
    useDatabaseUrl(db.url);
    const load = loadavg()[0]!.toFixed(2);
    const started = performance.now();
    const seeded = await seedDemo();
    const seconds = (performance.now() - started) / 1000;
    console.log("week  model                      useful   traffic  retrain  retrain outcome");
    seeded.weeks.forEach((w, i) => {
      const r = w.retrain;
      const outcome = r ? `${r.isoWeek} ${r.status}${r.winner ? `, winner ${r.winner}` : ""}${r.decision ? ` → ${r.decision}` : ""}` : "—";
      console.log(
        `${String(i + 1).padStart(4)}  ${w.model.padEnd(26)} ${`${w.useful}/${w.replays}`.padStart(6)} ${(100 * w.useful / w.replays).toFixed(0).padStart(3)}%  ${(w.trafficMs / 1000).toFixed(1).padStart(5)} s  ${(w.retrainMs / 1000).toFixed(1).padStart(5)} s  ${w.rolledBack ? "(rolled back first) " : ""}${outcome}`,
      );
    });
    const { rows } = await getPool().query("SELECT count(*)::int AS n FROM model_versions");
    console.log(`\n${seeded.replays} replays (${seeded.pending} pending), ${seeded.weeks.length} weeks, ${rows[0].n} model versions`);
    console.log(`seed: ${seconds.toFixed(1)} s (load average ${load} at start, ${loadavg()[0]!.toFixed(2)} at the end)`);
    console.log(`${seconds < TARGET_SECONDS ? "PASS" : "FAIL"} seed under ${TARGET_SECONDS} s`);
  } finally {
    await closeDb();
    await db.stop();
    rmSync(DATA_DIR, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
