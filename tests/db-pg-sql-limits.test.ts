// The limits of the Node server's direct route to PostgreSQL (api/db/pg-sql.ts), on a pool of ONE connection so that
// each limit is reached on purpose: a transaction waits for a connection at most maxWait (and a connection that comes
// later goes back to the pool), no statement inside a transaction runs longer than its timeout, and statements with
// parameters are prepared once per connection under a name — only the first 64 distinct texts. PostgreSQL only.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./helpers/db.ts";
import { databaseForUrl, type NodeDatabase } from "../api/db/node.ts";
import { sqlStateOf } from "../api/db/sql.ts";
import { deferred } from "./helpers/deferred.ts";

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

describe.runIf(onServer)("pgSql on a pool of one connection", () => {
  it("a transaction that cannot get a connection within maxWait fails, and the connection it waited for is not lost", async () => {
    const release = deferred();
    const holding = deferred();
    const holder = one.sql.transaction(async (tx) => {
      await tx.query(`SELECT 1`, []);
      holding.resolve();
      await release.promise;
      return "held";
    }, TX);
    await holding.promise;
    await expect(one.sql.transaction((tx) => tx.query(`SELECT 1`, []), { maxWait: 150, timeout: 10_000 })).rejects.toThrow(
      "waiting for a database connection took longer than 150 ms",
    );
    release.resolve();
    expect(await holder).toBe("held");
    // the one connection came back (to the gave-up waiter first, which hands it straight back): both routes work
    expect(await one.sql.transaction((tx) => tx.query<{ n: number }>(`SELECT 2 AS n`, []), TX)).toEqual([{ n: 2 }]);
    expect(await one.sql.query<{ n: number }>(`SELECT 3 AS n`, [])).toEqual([{ n: 3 }]);
    expect(one.pool.totalCount).toBe(1);
    expect(one.pool.idleCount).toBe(1);
  });

  it("no statement inside a transaction runs longer than the transaction's timeout; the connection is usable after", async () => {
    const e = await one.sql.transaction((tx) => tx.query(`SELECT pg_sleep(5)`, []), { maxWait: 5_000, timeout: 300 }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(sqlStateOf(e)).toBe("57014"); // canceling statement due to statement timeout
    // the limit was the transaction's own (SET LOCAL): a statement after it is not limited
    expect(await one.sql.query<{ s: string }>(`SELECT current_setting('statement_timeout') AS s`, [])).toEqual([{ s: "0" }]);
    expect(await one.sql.transaction((tx) => tx.query<{ s: string }>(`SELECT current_setting('statement_timeout') AS s`, []), { maxWait: 5_000, timeout: 1234 })).toEqual([
      { s: "1234ms" },
    ]);
    // a fraction of a millisecond is no timeout at all ("0" would mean none): the limit is at least 1 ms
    expect(await one.sql.transaction((tx) => tx.query<{ s: string }>(`SELECT current_setting('statement_timeout') AS s`, []), { maxWait: 5_000, timeout: 0.5 })).toEqual([
      { s: "1ms" },
    ]);
  });

  it("statements with parameters are prepared once on the connection under a name, the first 64 texts only; the rest go unnamed", async () => {
    // (no parameters: this statement itself is never prepared)
    const prepared = async () =>
      (await one.sql.query<{ name: string; statement: string }>(`SELECT name, statement FROM pg_prepared_statements ORDER BY prepare_time, name`, [])).map((r) => [
        r.name,
        r.statement,
      ]);
    expect(await prepared()).toEqual([]);
    // 70 distinct texts, each sent twice
    for (let i = 0; i < 70; i++) for (let k = 0; k < 2; k++) expect(await one.sql.query<{ n: number }>(`SELECT $1::int AS n /* ${i} */`, [i])).toEqual([{ n: i }]);
    expect(await prepared()).toEqual(Array.from({ length: 64 }, (_, i) => [`kubelab_${i}`, `SELECT $1::int AS n /* ${i} */`]));
    // inside a transaction too, on the same names; BEGIN; SET LOCAL … (several statements, no parameters) never is
    await one.sql.transaction((tx) => tx.query(`SELECT $1::int AS n /* 3 */`, [3]), TX);
    expect((await prepared()).length).toBe(64);
  });
});
