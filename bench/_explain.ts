// @ts-nocheck
import path from "node:path";
import pg from "pg";
import { startEmbeddedDatabase } from "@/lib/db/embedded";
const db = await startEmbeddedDatabase({ dataDir: path.join(".data", "bench-dashboard", "postgres") });
const { runMigrations } = await import("@/lib/db/migrate");
await runMigrations(db.url);
const c0 = new pg.Client({ connectionString: db.url }); await c0.connect(); const t0 = Date.now(); await c0.query("VACUUM (ANALYZE) feedback_replay_log"); console.log("vacuum", Date.now() - t0, "ms"); await c0.end();
const c = new pg.Client({ connectionString: db.url }); await c.connect();
const sql = process.argv[2];
const params = JSON.parse(process.argv[3] ?? "[]");
const r = await c.query("EXPLAIN (ANALYZE, BUFFERS) " + sql, params);
console.log(r.rows.map((x) => x["QUERY PLAN"]).join("\n"));
const idx = await c.query("SELECT indexdef FROM pg_indexes WHERE tablename = 'feedback_replay_log'");
console.log(idx.rows.map((x) => x.indexdef).join("\n"));
await c.end(); await db.stop();
