// The Node server's direct route to PostgreSQL (api/db/pg-sql.ts): statements issued together inside a transaction
// (regradeLab reads the next chunk while the last one is written) run in issue order, COMMIT last, and without
// node-postgres's "already executing a query" deprecation (pg 9 drops its queue). Needs a PostgreSQL server: it
// runs when DATABASE_URL is set (CI runs the suite both ways; the embedded database goes through Prisma instead).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./helpers/db.ts";

const onServer = !!process.env.DATABASE_URL;
let db: TestDatabase;
beforeAll(async () => {
  if (onServer) db = await createTestDatabase();
});
afterAll(() => db?.close());

describe.runIf(onServer)("pgSql transactions", () => {
  it("runs statements issued together in issue order, then commits, with no deprecation warning", async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on("warning", onWarning);
    try {
      await db.sql.execute(`CREATE TABLE pg_sql_order (n int, at timestamptz default clock_timestamp())`, []);
      await db.sql.transaction(async (tx) => {
        // ten inserts in flight at once, the read of them issued before any has finished
        const writes = Array.from({ length: 10 }, (_, n) => tx.execute(`INSERT INTO pg_sql_order (n) VALUES ($1)`, [n]));
        const read = tx.query<{ c: number }>(`SELECT count(*)::int AS c FROM pg_sql_order`, []);
        expect(await Promise.all(writes)).toEqual(Array(10).fill(1));
        expect((await read)[0].c).toBe(10);
      }, { maxWait: 5_000, timeout: 10_000 });
      const rows = await db.sql.query<{ n: number }>(`SELECT n FROM pg_sql_order ORDER BY at, n`, []);
      expect(rows.map((r) => r.n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
      expect(warnings.filter((w) => /already executing a query/.test(w))).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("a failing statement rolls back everything issued with it, and the connection is usable again", async () => {
    await db.sql.execute(`CREATE TABLE pg_sql_fail (n int primary key)`, []);
    await expect(
      db.sql.transaction(async (tx) => {
        const a = tx.execute(`INSERT INTO pg_sql_fail VALUES (1)`, []);
        const b = tx.execute(`INSERT INTO pg_sql_fail VALUES (1)`, []); // duplicate key
        const c = tx.execute(`INSERT INTO pg_sql_fail VALUES (2)`, []);
        await Promise.all([a, b, c]);
      }, { maxWait: 5_000, timeout: 10_000 }),
    ).rejects.toThrow(/duplicate key/);
    expect(await db.sql.query(`SELECT n FROM pg_sql_fail`, [])).toEqual([]);
    await db.sql.transaction((tx) => tx.execute(`INSERT INTO pg_sql_fail VALUES (3)`, []), { maxWait: 5_000, timeout: 10_000 });
    expect(await db.sql.query(`SELECT n FROM pg_sql_fail`, [])).toEqual([{ n: 3 }]);
  });
});
