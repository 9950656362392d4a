// Which failed statements may simply run again (api/db/sql.ts: sqlStateOf, isRetryableSqlError), read from the errors
// the database really answers with, on every route the servers use: a `pg` error straight from the pool, Prisma's
// wrapping of it for raw statements (P2010) and for model queries (P2002, …). The SQLSTATEs are raised by the server
// itself (a DO block's RAISE … USING ERRCODE, or a real constraint), so each row is what a client sees of that failure.
// An error that never reached the server (a connection refused) has no SQLSTATE: nobody knows whether it ran.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./helpers/db.ts";
import { isRetryableSqlError, prismaSql, sqlStateOf, type SqlClient } from "../api/db/sql.ts";
import { databaseForUrl } from "../api/db/node.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.prisma.user.create({ data: { id: "dup" } });
});
afterAll(() => db?.close());

const ROUTES: [string, () => SqlClient][] = [["through Prisma", () => prismaSql(db.prisma)]];
if (process.env.DATABASE_URL) ROUTES.push(["straight on pg", () => db.sql]);

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("the statement did not fail");
}

const raise = (code: string) => `DO $$ BEGIN RAISE EXCEPTION 'raised for the test' USING ERRCODE = '${code}'; END $$`;

describe.each(ROUTES)("a failed statement, %s", (_route, route) => {
  const rows: [string, string, boolean][] = [
    // [what failed, SQLSTATE, may run again]
    ["serialization_failure", "40001", true],
    ["deadlock_detected", "40P01", true],
    ["unique_violation", "23505", true],
    ["foreign_key_violation", "23503", false],
    ["lock_not_available", "55P03", false],
    ["query_canceled (a statement timeout)", "57014", false],
    ["a user-raised error", "P0001", false],
  ];
  it.each(rows)("%s (%s): retryable %s", async (_what, code, retryable) => {
    const e = await failure(route().execute(raise(code), []));
    expect(sqlStateOf(e)).toBe(code);
    expect(isRetryableSqlError(e)).toBe(retryable);
  });

  it("a real unique violation (a taken primary key) may run again; a real foreign-key violation may not", async () => {
    const dup = await failure(route().execute(`INSERT INTO "User"(id) VALUES ($1)`, ["dup"]));
    expect([sqlStateOf(dup), isRetryableSqlError(dup)]).toEqual(["23505", true]);
    const fk = await failure(route().execute(`INSERT INTO "Enrollment"("userId", "courseId", role) VALUES ($1, $2, 'student')`, ["nobody", "no-course"]));
    expect([sqlStateOf(fk), isRetryableSqlError(fk)]).toEqual(["23503", false]);
  });
});

describe("errors that are not a failed statement's", () => {
  it("Prisma's model queries: a taken unique key (P2002) may run again; a missing row (P2025) may not", async () => {
    const dup = await failure(db.prisma.user.create({ data: { id: "dup" } }));
    expect((dup as { code?: string }).code).toBe("P2002");
    expect(isRetryableSqlError(dup)).toBe(true);
    expect(sqlStateOf(dup)).toBeUndefined();
    const missing = await failure(db.prisma.user.update({ where: { id: "nobody" }, data: { name: "x" } }));
    expect((missing as { code?: string }).code).toBe("P2025");
    expect(isRetryableSqlError(missing)).toBe(false);
  });

  it.runIf(!!process.env.DATABASE_URL)("a server that cannot be reached: no SQLSTATE, not retryable (it may or may not have run)", async () => {
    const u = new URL(db.url!);
    u.port = "1"; // nothing listens there
    const gone = databaseForUrl(u.toString(), { max: 1 });
    try {
      const e = await failure(gone.sql.query(`SELECT 1`, []));
      expect(sqlStateOf(e)).toBeUndefined();
      expect(isRetryableSqlError(e)).toBe(false);
    } finally {
      await gone.close();
    }
  });

  it("things that are not errors at all", () => {
    for (const e of [undefined, null, "40001", { code: "40001" }, { code: 40001, severity: "ERROR" }, new Error("40001")]) {
      expect(sqlStateOf(e)).toBeUndefined();
      expect(isRetryableSqlError(e)).toBe(false);
    }
  });
});

describe("prismaSql transactions", () => {
  it("commit what the function did and roll back when it throws", async () => {
    const sql = prismaSql(db.prisma);
    await sql.transaction((tx) => tx.execute(`INSERT INTO "User"(id) VALUES ($1)`, ["in-tx"]), { maxWait: 5_000, timeout: 10_000 });
    await expect(
      sql.transaction(async (tx) => {
        await tx.execute(`INSERT INTO "User"(id) VALUES ($1)`, ["rolled-back"]);
        throw new Error("changed my mind");
      }, { maxWait: 5_000, timeout: 10_000 }),
    ).rejects.toThrow("changed my mind");
    expect((await sql.query<{ id: string }>(`SELECT id FROM "User" WHERE id IN ('in-tx', 'rolled-back') ORDER BY id`, [])).map((r) => r.id)).toEqual(["in-tx"]);
  });

  it("query gives the rows, execute the number of rows changed", async () => {
    const sql = prismaSql(db.prisma);
    expect(await sql.execute(`UPDATE "User" SET name = 'n' WHERE id IN ('dup', 'in-tx')`, [])).toBe(2);
    expect(await sql.query(`SELECT id, name FROM "User" WHERE id = $1`, ["dup"])).toEqual([{ id: "dup", name: "n" }]);
  });
});
