import { createHash, randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { closeDb, useDatabaseUrl } from "@/lib/db/client";
import { runMigrations } from "@/lib/db/migrate";
import { listExampleDatasets } from "@/lib/training/list-example-datasets";
import { serializeJsonlExample, toJsonlExample } from "@/lib/training/serialize-jsonl-example";
import { streamDatasetJsonl } from "@/lib/training/stream-dataset-jsonl";

// Snapshots recorded one member per row (dataset_examples, migrations 0004–0006) are carried
// into dataset_chunks by 0009_dataset_chunks: in a database of its own, migrated to 0006, filled
// the old way, then migrated on. This file points the pool at that database.
const name = `feedback_replay_chunks_${randomBytes(4).toString("hex")}`;
const serverUrl = inject("databaseUrl");
const url = Object.assign(new URL(serverUrl), { pathname: `/${name}` }).toString();
const MEMBERS = 25_000;
const SYSTEM_PROMPT = "Be kind.";

async function withClient<T>(connectionString: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Migrations up to and including `lastTag`, from a copy of drizzle/ with a shorter journal. */
async function migrateUpTo(lastTag: string) {
  const folder = mkdtempSync(path.join(tmpdir(), "migrations-"));
  cpSync(path.join(process.cwd(), "drizzle"), folder, { recursive: true });
  const journalPath = path.join(folder, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8"));
  const last = journal.entries.findIndex((e: { tag: string }) => e.tag === lastTag);
  expect(last).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, last + 1);
  writeFileSync(journalPath, JSON.stringify(journal));
  await withClient(url, (client) => migrate(drizzle(client), { migrationsFolder: folder }));
}

async function collect(chunks: AsyncIterable<Buffer>) {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts).toString("utf8");
}

afterAll(async () => {
  await closeDb();
  await withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
});

describe("0009_dataset_chunks", () => {
  it("carries old snapshots over: same members, order and sides, same bytes, lineage intact", async () => {
    await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
    await migrateUpTo("0006_retrain");

    const legacy = await withClient(url, async (client) => {
      // Texts with every escape JSON needs, one example without created_at; members in an order
      // that is not created_at order (as no new export writes, so spans must be min/max).
      await client.query(
        `INSERT INTO training_log (prompt, completion, status, review_status, clean_prompt, clean_completion, created_at)
         SELECT 'p', 'c', 'ready', 'approved',
                'Q' || i || E' "quoted"\\n\\t\\\\ \\u0001 é 🙂', 'A' || i || E' \\r\\u2028 — done',
                CASE WHEN i = 77 THEN NULL ELSE now() - i * interval '1 second' END
         FROM generate_series(1, $1) AS i`,
        [MEMBERS],
      );
      const { rows: datasets } = await client.query(
        `INSERT INTO datasets (source, split, status, created_via, settings, example_count)
         VALUES ('approved', 'all', 'complete', 'test', $1, $2), ('worst-prompts', 'all', 'complete', 'test', $1, 3) RETURNING id`,
        [JSON.stringify({ systemPrompt: SYSTEM_PROMPT }), MEMBERS],
      );
      const [big, small] = datasets.map((d) => d.id as string) as [string, string];
      await client.query(
        `INSERT INTO dataset_examples (dataset_id, ordinal, example_id, split)
         SELECT $1, row_number() OVER (ORDER BY md5(id::text)), id, CASE WHEN created_at IS NULL OR extract(epoch FROM created_at)::bigint % 3 = 0 THEN 'validation' ELSE 'train' END::example_split
         FROM training_log`,
        [big],
      );
      await client.query(
        `INSERT INTO dataset_examples (dataset_id, ordinal, example_id, split)
         SELECT $1, n, id, 'train' FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM training_log) x WHERE n <= 3`,
        [small],
      );
      // Members of a dataset that no longer exists: not carried over.
      await client.query(`INSERT INTO dataset_examples (dataset_id, ordinal, example_id, split) SELECT gen_random_uuid(), 1, id, 'train' FROM training_log LIMIT 1`);
      const { rows: members } = await client.query(
        `SELECT de.example_id, de.split::text AS split, t.clean_prompt, t.clean_completion
         FROM dataset_examples de JOIN training_log t ON t.id = de.example_id WHERE de.dataset_id = $1 ORDER BY de.ordinal`,
        [big],
      );
      // The file as the old export wrote it.
      const line = (m: { clean_prompt: string; clean_completion: string }) =>
        serializeJsonlExample(toJsonlExample({ systemPrompt: SYSTEM_PROMPT, prompt: m.clean_prompt, completion: m.clean_completion })) + "\n";
      const file = members.map(line).join("");
      const validation = members.filter((m) => m.split === "validation").map(line).join("");
      await client.query("UPDATE datasets SET sha256 = $2 WHERE id = $1", [big, createHash("sha256").update(file).digest("hex")]);
      return { big, small, members, file, validation };
    });
    expect(legacy.members).toHaveLength(MEMBERS);

    await runMigrations(url);
    await closeDb();
    useDatabaseUrl(url);

    await withClient(url, async (client) => {
      const { rows: tables } = await client.query("SELECT to_regclass('dataset_examples') AS old");
      expect(tables[0].old).toBeNull();
      const { rows: chunks } = await client.query("SELECT dataset_id, first_ordinal, cardinality(example_ids) AS n FROM dataset_chunks ORDER BY dataset_id = $1 DESC, first_ordinal", [legacy.big]);
      expect(chunks.map((c) => [c.first_ordinal, c.n])).toEqual([
        [1, 10_000],
        [10_001, 10_000],
        [20_001, 5_000],
        [1, 3],
      ]);
      const { rows: members } = await client.query(
        `SELECT m.example_id, CASE WHEN m.validation THEN 'validation' ELSE 'train' END AS split
         FROM dataset_chunks c CROSS JOIN LATERAL unnest(c.example_ids, c.validation) WITH ORDINALITY AS m(example_id, validation, n)
         WHERE c.dataset_id = $1 ORDER BY c.first_ordinal, m.n`,
        [legacy.big],
      );
      expect(members).toEqual(legacy.members.map((m) => ({ example_id: m.example_id, split: m.split })));
    });

    const again = await collect(
      streamDatasetJsonl(legacy.big, {
        onDone: (sha) => expect(sha).toBe(createHash("sha256").update(legacy.file).digest("hex")),
      }),
    );
    expect(again).toBe(legacy.file);
    expect(await collect(streamDatasetJsonl(legacy.big, { split: "validation" }))).toBe(legacy.validation);

    // Lineage, the example without created_at included.
    const probes = [0, 1, 9_999, 10_000, 17_345, MEMBERS - 1].map((i) => legacy.members[i]!);
    const undated = await withClient(url, async (client) => (await client.query("SELECT id FROM training_log WHERE created_at IS NULL")).rows[0].id as string);
    probes.push(legacy.members.find((m) => m.example_id === undated)!);
    for (const probe of probes) {
      const found = await listExampleDatasets(probe.example_id);
      expect(found.find((d) => d.id === legacy.big)).toMatchObject({ source: "approved", split: probe.split });
    }
  });
});
