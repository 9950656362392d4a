// Database selection for Node (server, scripts, tests). The Worker has its own (api/worker.ts: Hyperdrive).
//   DATABASE_URL set -> that PostgreSQL through @prisma/adapter-pg on pg.
//   unset            -> an embedded PostgreSQL (PGlite): in memory for tests, file-backed in .data/ for dev.
import pg from "pg";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaClient } from "../generated/prisma/client.ts";
import { applyMigrations } from "./migrate.ts";
import { pgSql } from "./pg-sql.ts";
import { DEFAULT_SAVE_BATCHING } from "./save-batcher.ts";
import type { SqlClient } from "./sql.ts";

export type { PrismaClient };

/**
 * pg client for the schema engine's catalog queries: adapter-pg cannot map PostgreSQL's internal `"char"` type
 * (OID 18), which introspection selects, so report it as text (OID 25).
 */
class CatalogClient extends pg.Client {
  override query(...args: any[]): any {
    const fix = (res: pg.QueryResult | undefined) => {
      for (const f of res?.fields ?? []) if (f.dataTypeID === 18) f.dataTypeID = 25;
      return res;
    };
    const last = args[args.length - 1];
    if (typeof last === "function") {
      // pg.Pool calls client.query(config, values?, callback)
      args[args.length - 1] = (err: Error | undefined, res: pg.QueryResult | undefined) => last(err, fix(res));
      return (super.query as (...a: unknown[]) => unknown)(...args);
    }
    const r = (super.query as (...a: unknown[]) => unknown)(...args);
    return r && typeof (r as Promise<unknown>).then === "function" ? (r as Promise<pg.QueryResult>).then(fix) : r;
  }
}

/**
 * A migration-aware adapter factory for a PostgreSQL server, and a close() for its pool. Its shadow database is an
 * in-memory PGlite: adapter-pg's own shadow connection from a connection string lands on the main database (the
 * string overrides `database`).
 */
export function migrationAdapterForUrl(url: string): SqlMigrationAwareDriverAdapterFactory & { close(): Promise<void> } {
  const pool = new pg.Pool({ connectionString: url, max: 2, Client: CatalogClient } as pg.PoolConfig);
  pool.on("error", () => {}); // an idle connection dropped by the server is not our failure
  const main = new PrismaPg(pool);
  return {
    provider: "postgres",
    adapterName: main.adapterName,
    connect: async () => wholeScripts(await main.connect(), pool),
    connectToShadowDb: () => new PrismaPGlite(new PGlite()).connect(),
    close: () => pool.end(),
  };
}

/**
 * adapter-pg runs a migration script by splitting it at every ';', which cuts a dollar-quoted body (DO $$ … $$) in
 * pieces. Send each script whole instead, as one simple-protocol query (one implicit transaction), as the native
 * schema engine does; errors still go through the adapter's own conversion.
 */
function wholeScripts(adapter: SqlDriverAdapter, pool: pg.Pool): SqlDriverAdapter {
  const onError = (adapter as unknown as { onError(e: unknown): never }).onError.bind(adapter);
  adapter.executeScript = async (script: string) => {
    try {
      await pool.query(script);
    } catch (e) {
      onError(e);
    }
  };
  return adapter;
}

export function migrationAdapterForPglite(db: PGlite): SqlMigrationAwareDriverAdapterFactory {
  return new PrismaPGlite(db);
}

/**
 * A PostgreSQL server for the API: Prisma and the hot statements' direct route (pgSql) on one pg pool, and the
 * mutations' saves (api/db/save-batcher.ts) on connections of their own.
 */
export interface NodeDatabase {
  prisma: PrismaClient;
  sql: SqlClient;
  /** The pool both share (its counts tell how many callers wait for a connection). */
  pool: pg.Pool;
  /**
   * The route for the save batcher's statements: a pool of its own, of as many connections as the batcher sends
   * statements at once, so a save never queues behind the shared pool's waiters. Under a class's load the shared
   * pool's connections are all out with dozens of reads waiting (a progress check sends its statements one after
   * another, each holding a connection until this one thread gets round to its answer); a save queued there held its
   * command's answer — and the engine the student's page and next check wait for — seconds behind them
   * (bench/README.md, "what holds the pool"). Connects on first use.
   */
  saveSql: SqlClient;
  savePool: pg.Pool;
  close(): Promise<void>;
}

export function databaseForUrl(url: string, opts: { max?: number; saveConnections?: number } = {}): NodeDatabase {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10 });
  pool.on("error", () => {}); // an idle connection dropped by the server is not our failure; the next query reconnects
  const savePool = new pg.Pool({ connectionString: url, max: opts.saveConnections ?? DEFAULT_SAVE_BATCHING.maxInFlight });
  savePool.on("error", () => {});
  // errorFormat minimal: the pretty format builds a code frame for every query error, which the API never shows.
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool), errorFormat: "minimal" });
  let closed: Promise<void> | undefined;
  return {
    prisma,
    sql: pgSql(pool),
    pool,
    saveSql: pgSql(savePool),
    savePool,
    close: () => (closed ??= prisma.$disconnect().finally(() => Promise.all([pool.end(), savePool.end()]).then(() => {}))),
  };
}

export function prismaForPglite(db: PGlite): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPGlite(db), errorFormat: "minimal" });
}

export async function migrateUrl(url: string): Promise<string[]> {
  const adapter = migrationAdapterForUrl(url);
  try {
    return await applyMigrations(adapter);
  } finally {
    await adapter.close();
  }
}

export async function migratePglite(db: PGlite): Promise<string[]> {
  return applyMigrations(migrationAdapterForPglite(db));
}
