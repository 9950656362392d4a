// The persistence limit: what one cluster mutation costs PostgreSQL with raw `pg` and nothing else (no HTTP, no
// GraphQL, no Prisma, no engine): one transaction that reads the cluster row, writes the state back with the
// version check, and appends the command log, exactly the rows the API writes. Its statements are prepared once per
// connection (named), as the API's pg route prepares its own (api/db/pg-sql.ts).
import { randomUUID } from "node:crypto";
import pg from "pg";
import { runLoad, type LoadOptions, type LoadResult } from "./load.ts";

export interface RawSetup {
  pool: pg.Pool;
  clusterIds: string[];
  close(): Promise<void>;
}

/** `count` cluster rows owned by `owner`, each holding `state` (the engine's stored form). */
export async function seedClusters(url: string, count: number, state: unknown, poolMax: number): Promise<RawSetup> {
  const pool = new pg.Pool({ connectionString: url, max: poolMax });
  await pool.query(`INSERT INTO "User"(id, name) VALUES ('raw-bench', 'raw') ON CONFLICT DO NOTHING`);
  const ids: string[] = [];
  const text = JSON.stringify(state);
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    await pool.query(
      `INSERT INTO "Cluster"(id, "ownerId", name, seed, state, version, "updatedAt") VALUES ($1, 'raw-bench', $2, $3, $4, 1, now())`,
      [id, `raw-${i}`, i, text],
    );
    ids.push(id);
  }
  return { pool, clusterIds: ids, close: () => pool.end() };
}

export interface RawCounters {
  conflicts: number;
  committed: number;
}

/**
 * One mutation: BEGIN; read the row; UPDATE … WHERE version = read version; INSERT the log row (seq = new version);
 * COMMIT. On a lost race (0 rows updated, or the log seq taken) roll back and retry, counting the conflict.
 */
export async function rawMutation(pool: pg.Pool, clusterId: string, input: string, counters: RawCounters): Promise<void> {
  for (let attempt = 1; attempt <= 50; attempt++) {
    const client = await pool.connect();
    let ok = false;
    try {
      await client.query("BEGIN");
      // Named (prepared once per connection), as the API's pg route prepares its statements.
      const r = await client.query({ name: "raw-read", text: `SELECT state, version FROM "Cluster" WHERE id = $1 AND "deletedAt" IS NULL`, values: [clusterId] });
      if (!r.rowCount) throw new Error(`cluster ${clusterId} not found`);
      const { state, version } = r.rows[0] as { state: string; version: number };
      // the state goes through JSON once each way, as a server holding it as a value must do at least
      const u = await client.query({
        name: "raw-update",
        text: `UPDATE "Cluster" SET state = $2, version = $3, "updatedAt" = now() WHERE id = $1 AND version = $4`,
        values: [clusterId, JSON.stringify(JSON.parse(state)), version + 1, version],
      });
      if (u.rowCount === 1) {
        await client.query({
          name: "raw-log",
          text: `INSERT INTO "CommandLog"("clusterId", seq, "virtualTime", "actorId", operation, input, stdout, stderr, "exitCode") VALUES ($1, $2, $3, 'raw-bench', 'label', $4, '', '', 0)`,
          values: [clusterId, version + 1, "2021-12-05T16:00:00Z", input],
        });
        await client.query("COMMIT");
        ok = true;
      } else await client.query("ROLLBACK");
    } catch (e) {
      await client.query("ROLLBACK").catch(() => {});
      if ((e as { code?: string }).code !== "23505") {
        client.release();
        throw e;
      }
    }
    client.release();
    if (ok) {
      counters.committed++;
      return;
    }
    counters.conflicts++;
    // The same jittered exponential back-off as the API's retry loop (api/clusters.ts).
    await new Promise((r) => setTimeout(r, Math.min(200, 2 ** Math.min(attempt, 7)) * (0.5 + Math.random())));
  }
  throw new Error("raw mutation: too many conflicts");
}

/** Raw-pg throughput at `clients` concurrency, each client on its own cluster (or all on clusterIds[0] when shared). */
export async function rawLoad(setup: RawSetup, opts: LoadOptions, shared = false): Promise<LoadResult & RawCounters> {
  const counters: RawCounters = { conflicts: 0, committed: 0 };
  const r = await runLoad(opts, (c, i) => rawMutation(setup.pool, shared ? setup.clusterIds[0] : setup.clusterIds[c], `c${c}-${i}`, counters));
  return { ...r, ...counters };
}
