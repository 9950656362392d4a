// When a transaction on the Node server's direct route to PostgreSQL (api/db/pg-sql.ts) goes wrong in ways the other
// pg-sql files do not reach: a transaction opened inside another is refused, and the server dropping the connection
// in the middle of a transaction (an administrator's pg_terminate_backend, a restart, a failover) fails that
// transaction alone, with the server's own error, and the pool goes on with a new connection. On a pool of ONE
// connection, so that losing it shows. PostgreSQL only.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./helpers/db.ts";
import { databaseForUrl, type NodeDatabase } from "../api/db/node.ts";
import { sqlStateOf } from "../api/db/sql.ts";

const onServer = !!process.env.DATABASE_URL;
let db: TestDatabase;
let one: NodeDatabase;
beforeAll(async () => {
  if (!onServer) return;
  db = await createTestDatabase();
  one = databaseForUrl(db.url!, { max: 1 });
});
afterAll(async () => {
  await one?.close();
  await db?.close();
});

const TX = { maxWait: 5_000, timeout: 10_000 };
const pid = async () => (await one.sql.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`, []))[0].pid;

describe.runIf(onServer)("pgSql transactions that go wrong", () => {
  it("a transaction opened inside another is refused, and the outer one, failing with it, wrote nothing", async () => {
    await one.sql.execute(`CREATE TABLE pg_sql_nest (n int)`, []);
    await expect(
      one.sql.transaction(async (tx) => {
        await tx.execute(`INSERT INTO pg_sql_nest VALUES (1)`, []);
        await tx.transaction((inner) => inner.execute(`INSERT INTO pg_sql_nest VALUES (2)`, []), TX);
      }, TX),
    ).rejects.toThrow(/^pgSql: transactions do not nest$/);
    expect(await one.sql.query(`SELECT n FROM pg_sql_nest`, [])).toEqual([]);
  });

  it("the server ends the connection inside a transaction: that transaction fails with the server's error, and the next one runs on a new connection", async () => {
    const before = await pid();
    const uncaught: string[] = [];
    const onUncaught = (err: Error) => uncaught.push(err.message);
    process.on("uncaughtException", onUncaught);
    let e: unknown;
    try {
      e = await one.sql.transaction((tx) => tx.query(`SELECT pg_terminate_backend(pg_backend_pid())`, []), TX).then(
        () => undefined,
        (err: unknown) => err,
      );
      await new Promise((r) => setTimeout(r, 50)); // the socket's end comes after the statement's error
    } finally {
      process.off("uncaughtException", onUncaught);
    }
    expect(uncaught).toEqual([]); // was: "Connection terminated unexpectedly", which would end the Node server
    expect(sqlStateOf(e), String(e)).toBe("57P01"); // terminating connection due to administrator command
    // the dead connection is not handed out again: both routes get a new one
    expect(await one.sql.transaction((tx) => tx.query<{ n: number }>(`SELECT 1 AS n`, []), TX)).toEqual([{ n: 1 }]);
    const after = await pid();
    expect(after).not.toBe(before);
    expect(one.pool.totalCount).toBe(1);
  });
});
