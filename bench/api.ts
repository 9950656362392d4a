// API benchmark, end to end over HTTP against the real PostgreSQL (DATABASE_URL; default
// postgresql://root@127.0.0.1:5432/postgres — the bench creates and drops its own database there):
//   - the API (createApp in its own process): mutations/s and p50/p95/p99 at 1, 8, 32 clients for label,
//     applyManifest and sendRequests(10), each client on its own cluster; then 32 clients on ONE cluster through
//     two server processes (so the version check, not the in-process queue, has to keep them apart): conflicts
//     retried, and a check that every mutation was applied exactly once;
//   - the limit in the same run: the same persistence work with raw pg (bench/raw.ts), same concurrencies;
//   - graphql-yoga answering `{ ping }`: the framework's ceiling.
//   npx tsx bench/api.ts [--quick]
import pg from "pg";
import { freshDatabase, serverInfo } from "./db.ts";
import { gql, httpClient, runLoad, type LoadResult } from "./load.ts";
import { rawLoad, seedClusters } from "./raw.ts";
import { startServer } from "./spawn.ts";
import { CONCURRENCY, studentState } from "./fixtures.ts";
import { runApiLoad } from "./api-load.ts";
import { isMain, machineLine, printTable, progress, row, type Row } from "./lib.ts";

function lat(r: LoadResult): string {
  return `p50 ${r.p50.toFixed(1)} / p95 ${r.p95.toFixed(1)} / p99 ${r.p99.toFixed(1)} ms; ${r.ops} ops${r.errors ? `, ${r.errors} errors (${r.firstError})` : ""}`;
}

export interface ApiBenchOptions {
  quick?: boolean;
}

export async function runApi(opts: ApiBenchOptions = {}): Promise<Row[]> {
  const rows: Row[] = [];
  const warmupMs = opts.quick ? 500 : 1500;
  const durationMs = opts.quick ? 2000 : 5000;
  const db = await freshDatabase();
  try {
    rows.push(row("setup", "database", 0, "", `${await serverInfo(db.url)}; fresh database ${db.name}`));

    // ---- The framework's ceiling: graphql-yoga answering { ping } ----
    progress("graphql-yoga { ping } ceiling");
    const trivial = await startServer(["trivial"]);
    let yoga32: LoadResult | undefined;
    try {
      for (const n of CONCURRENCY) {
        const client = httpClient(trivial.url, n);
        const r = await runLoad({ clients: n, warmupMs, durationMs }, async () => {
          await gql(client, "/graphql", "{ ping }");
        });
        client.close();
        if (n === 32) yoga32 = r;
        rows.push(row("yoga", `{ ping } at ${n} clients`, r.opsPerSec, "req/s", lat(r)));
      }
    } finally {
      await trivial.stop();
    }

    // ---- The raw-pg limit ----
    progress("raw pg limit");
    const raw = await seedClusters(db.url, 32, studentState(), 32);
    const rawBy = new Map<number, LoadResult>();
    try {
      for (const n of CONCURRENCY) {
        const r = await rawLoad(raw, { clients: n, warmupMs, durationMs });
        rawBy.set(n, r);
        rows.push(row("raw-pg", `mutation at ${n} clients (own clusters)`, r.opsPerSec, "tx/s", lat(r)));
      }
      const shared = await rawLoad(raw, { clients: 32, warmupMs, durationMs }, true);
      rows.push(row("raw-pg", "mutation at 32 clients (one cluster)", shared.opsPerSec, "tx/s", `${lat(shared)}; ${shared.conflicts} conflicts retried`));
    } finally {
      await raw.close();
    }

    // ---- The API ----
    progress("API");
    rows.push(...(await runApiLoad(db.url, { warmupMs, durationMs, rawBy, yoga32, quick: !!opts.quick })));
  } finally {
    await db.drop();
  }
  return rows;
}

export async function countRows(url: string, sql: string, params: unknown[] = []): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return Number((await c.query(sql, params)).rows[0].n);
  } finally {
    await c.end();
  }
}

if (isMain(import.meta.url)) {
  const quick = process.argv.includes("--quick");
  console.log(`kubelab API bench — ${new Date().toISOString()} — ${machineLine()}`);
  const rows = await runApi({ quick });
  printTable("api", rows);
}
