// How the Node server opens its databases (api/db/node.ts), each called inside the test that checks it (a call made in
// beforeAll is never under a mutant: mutation testing activates one per test). On a PostgreSQL server:
// - databaseForUrl: one pool for Prisma and the direct route, of the size asked (10 by default), on the database the
//   URL names, and one of its own for the mutations' saves (as many connections as the save batcher sends at once); Prisma's errors in the minimal format (no code frame); an idle connection the server drops is not an
//   uncaught error; close() ends the pool.
// - the migration adapter: the schema engine's catalog queries select PostgreSQL's internal "char" type, which
//   adapter-pg cannot map, so it reads as text, in and out of a transaction; a script runs whole (a dollar-quoted
//   body is not cut at its semicolons) and a failing one fails with the adapter's error; its shadow database is an
//   in-memory PGlite, never the main database; close() ends its pool.
// - migrateUrl applies every migration to an empty database, once, and leaves no connection behind.
// And on PGlite (the embedded route, used whenever DATABASE_URL is unset): migratePglite and prismaForPglite.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { PGlite } from "@electric-sql/pglite";
import { createTestDatabase, type TestDatabase } from "./helpers/db.ts";
import { terminateBackend, uncaughtWhile } from "./helpers/pg-drop.ts";
import { databaseForUrl, migratePglite, migrateUrl, migrationAdapterForUrl, prismaForPglite, type NodeDatabase } from "../api/db/node.ts";
import { readMigrations } from "../api/db/migrate.ts";
import { DEFAULT_SAVE_BATCHING } from "../api/db/save-batcher.ts";

const base = process.env.DATABASE_URL;
let t: TestDatabase;
const toClose: { close(): Promise<void> }[] = [];
beforeAll(async () => {
  if (base) t = await createTestDatabase();
});
afterAll(async () => {
  for (const c of toClose) await c.close().catch(() => {});
  await t?.close();
});

const q = { args: [], argTypes: [] };

/** The server ends a backend, from another connection, and it is gone from pg_stat_activity when this returns. */
const terminate = (pid: number) => terminateBackend(t.url!, pid);
const RELKIND = `SELECT relkind FROM pg_class WHERE relname = 'Cluster' AND relnamespace = current_schema()::regnamespace`;

describe.runIf(!!base)("databaseForUrl", () => {
  it("is on the database the URL names, with a pool of the size asked, 10 by default", async () => {
    const pids = async (d: NodeDatabase) =>
      new Set((await Promise.all(Array.from({ length: 3 }, () => d.sql.query<{ p: number }>(`SELECT pg_backend_pid() AS p, pg_sleep(0.05)`, [])))).map((r) => r[0].p));
    const one = databaseForUrl(t.url!, { max: 1 });
    const dflt = databaseForUrl(t.url!);
    toClose.push(one, dflt);
    expect(await one.sql.query(`SELECT current_database() AS d`, [])).toEqual([{ d: new URL(t.url!).pathname.slice(1) }]);
    expect(await one.prisma.cluster.count()).toBe(0); // the migrated tables are there
    expect((await pids(one)).size).toBe(1);
    expect((await pids(dflt)).size).toBe(3);
    expect(one.pool.totalCount).toBe(1);
  });

  it("the saves' route has connections of its own, as many as the save batcher sends at once: it answers while every connection of the shared pool is out", async () => {
    const d = databaseForUrl(t.url!, { max: 1 });
    toClose.push(d);
    const held = await d.pool.connect(); // the shared pool's one connection, out (a read waiting for its answer)
    let out = true;
    try {
      const queued = d.sql.query<{ one: number }>(`SELECT 1 AS one`, []);
      const pids = await Promise.all(Array.from({ length: 4 }, () => d.saveSql.query<{ p: number }>(`SELECT pg_backend_pid() AS p, pg_sleep(0.05)`, [])));
      expect(new Set(pids.map((r) => r[0].p)).size).toBe(DEFAULT_SAVE_BATCHING.maxInFlight);
      expect(d.pool.waitingCount).toBe(1); // the shared pool's caller still waits: the saves did not take its turn
      held.release();
      out = false;
      expect(await queued).toEqual([{ one: 1 }]);
    } finally {
      if (out) held.release();
    }
  });

  it("Prisma's errors come without a code frame (errorFormat minimal)", async () => {
    const d = databaseForUrl(t.url!, { max: 1 });
    toClose.push(d);
    const e = await d.prisma.user.findUniqueOrThrow({ where: { id: "nobody" } }).then(() => undefined, (err: Error) => err);
    expect(e?.message).toContain("No record was found for a query.");
    expect(e?.message).not.toMatch(/→|where: \{/); // the pretty format quotes the calling code
  });

  it("an idle connection the server drops is not an uncaught error, and the next query gets a new one", async () => {
    const d = databaseForUrl(t.url!, { max: 1 });
    toClose.push(d);
    const [{ p }] = await d.sql.query<{ p: number }>(`SELECT pg_backend_pid() AS p`, []);
    const uncaught = await uncaughtWhile(async () => {
      await terminate(p);
      for (let i = 0; i < 100 && d.pool.totalCount > 0; i++) await new Promise((r) => setTimeout(r, 20));
    });
    expect(uncaught).toEqual([]);
    expect(d.pool.totalCount).toBe(0);
    const [{ p: again }] = await d.sql.query<{ p: number }>(`SELECT pg_backend_pid() AS p`, []);
    expect(again).not.toBe(p);
  });

  it("close() ends the pool (and closing twice is one close)", async () => {
    const d = databaseForUrl(t.url!, { max: 1 });
    await d.sql.query(`SELECT 1`, []);
    const closing = d.close();
    expect(d.close()).toBe(closing);
    await closing;
    expect(d.pool.ended).toBe(true);
    expect(d.savePool.ended).toBe(true);
    await expect(d.sql.query(`SELECT 1`, [])).rejects.toThrow(/after calling end on the pool/);
  });
});

describe.runIf(!!base)("the migration adapter of a server", () => {
  it("is a postgres adapter; the internal \"char\" type reads as text, in a transaction too", async () => {
    const a = migrationAdapterForUrl(t.url!);
    toClose.push(a);
    expect(a.provider).toBe("postgres");
    const conn = await a.connect();
    const r = await conn.queryRaw({ sql: RELKIND, ...q });
    expect(r.rows).toEqual([["r"]]);
    const tx = await conn.startTransaction();
    expect((await tx.queryRaw({ sql: RELKIND, ...q })).rows).toEqual([["r"]]);
    await tx.executeRaw({ sql: "COMMIT", ...q });
    await tx.commit();
  });

  it("runs a script whole (a dollar-quoted body keeps its semicolons); a failing script fails with the adapter's error", async () => {
    const a = migrationAdapterForUrl(t.url!);
    toClose.push(a);
    const conn = await a.connect();
    await conn.executeScript(`CREATE TABLE whole_script (n int); DO $$ BEGIN INSERT INTO whole_script VALUES (1); INSERT INTO whole_script VALUES (2); END $$;`);
    expect((await conn.queryRaw({ sql: `SELECT n FROM whole_script ORDER BY n`, ...q })).rows).toEqual([[1], [2]]);
    const e = await conn.executeScript(`DO $$ BEGIN RAISE EXCEPTION 'boom'; END $$;`).then(() => undefined, (err: unknown) => err);
    expect(e).toMatchObject({ name: "DriverAdapterError", cause: { originalCode: "P0001", originalMessage: "boom" } });
  });

  it("its shadow database is an in-memory PGlite, not the main database", async () => {
    const a = migrationAdapterForUrl(t.url!);
    toClose.push(a);
    const shadow = await a.connectToShadowDb();
    try {
      expect(shadow.provider).toBe("postgres");
      expect((await shadow.queryRaw({ sql: `SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'Cluster'`, ...q })).rows).toEqual([[0]]);
      expect((await shadow.queryRaw({ sql: `SELECT version() AS v`, ...q })).rows[0][0]).toMatch(/wasm|emscripten/i);
    } finally {
      await shadow.dispose();
    }
  }, 120_000); // a PGlite starts in 20-40 s on a loaded machine

  // adapter-pg listens for its pool's errors only while a connection of the schema engine is open; between the
  // engine's dispose() and close(), an idle connection the server drops must not be an uncaught error.
  it("an idle connection dropped after the engine let go of it is not an uncaught error", async () => {
    const a = migrationAdapterForUrl(t.url!);
    toClose.push(a);
    const conn = await a.connect();
    const [[pid]] = (await conn.queryRaw({ sql: `SELECT pg_backend_pid()`, ...q })).rows as [[number]];
    await conn.dispose();
    const uncaught = await uncaughtWhile(async () => {
      await terminate(pid);
      await new Promise((r) => setTimeout(r, 200)); // the pool's client reads the server's goodbye
    });
    expect(uncaught).toEqual([]);
  });

  it("close() ends its pool", async () => {
    const a = migrationAdapterForUrl(t.url!);
    const conn = await a.connect();
    await conn.queryRaw({ sql: `SELECT 1`, ...q });
    await a.close();
    await expect(conn.queryRaw({ sql: `SELECT 1`, ...q })).rejects.toThrow();
  });
});

describe.runIf(!!base)("migrateUrl", () => {
  it("applies every migration to an empty database, once, and leaves no connection to it", async () => {
    const name = `kubelab_mig_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${name}"`);
      const url = new URL(base!);
      url.pathname = `/${name}`;
      const all = (await readMigrations()).migrationDirectories.map((d) => d.path);
      expect(await migrateUrl(url.toString())).toEqual(all);
      // (a closed connection's backend leaves pg_stat_activity a moment after the client is done)
      const sessions = async () => (await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1`, [name])).rows[0].n;
      for (let i = 0; i < 50 && (await sessions()) > 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(await sessions()).toBe(0);
      expect(await migrateUrl(url.toString())).toEqual([]);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  }, 120_000);
});

describe("the embedded database (PGlite)", () => {
  it("migratePglite applies every migration; prismaForPglite reads it, errors without a code frame", async () => {
    const db = new PGlite();
    try {
      const all = (await readMigrations()).migrationDirectories.map((d) => d.path);
      expect(await migratePglite(db)).toEqual(all);
      const prisma = prismaForPglite(db);
      expect(await prisma.cluster.count()).toBe(0);
      const e = await prisma.user.findUniqueOrThrow({ where: { id: "nobody" } }).then(() => undefined, (err: Error) => err);
      expect(e?.message).toContain("No record was found for a query.");
      expect(e?.message).not.toMatch(/→|where: \{/);
      await prisma.$disconnect();
    } finally {
      await db.close();
    }
  }, 120_000);
});
