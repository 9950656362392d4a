// A write conflict between two serializable Prisma transactions is retryable (api/db/sql.ts isRetryableSqlError), made
// here for real: two transactions each read the rows the other one writes, so PostgreSQL lets only one of them
// through (40001). The loser's error is not Prisma's P2034 but the driver adapter's own DriverAdapterError, unwrapped,
// with no `code` — which isRetryableSqlError did not read (it said "not retryable") until this test.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./helpers/db.ts";
import { deferred } from "./helpers/deferred.ts";
import { isRetryableSqlError, sqlStateOf } from "../api/db/sql.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.prisma.user.createMany({ data: [{ id: "a", name: "0" }, { id: "b", name: "0" }] });
});
afterAll(() => db?.close());

// Two transactions at once need two connections: PostgreSQL only (PGlite has one).
describe.runIf(!!process.env.DATABASE_URL)("a serializable write conflict through Prisma", () => {
  it("the transaction that loses fails with SQLSTATE 40001, which may run again; the other one commits", async () => {
    const other = db.newClient();
    const bothRead = [deferred(), deferred()];
    const run = (client: typeof db.prisma, me: 0 | 1) =>
      client.$transaction(
        async (tx) => {
          await tx.user.findMany({ where: { id: { in: ["a", "b"] } } });
          bothRead[me].resolve();
          await bothRead[1 - me].promise;
          await tx.user.update({ where: { id: me === 0 ? "a" : "b" }, data: { name: `by ${me}` } });
        },
        { isolationLevel: "Serializable", maxWait: 5_000, timeout: 10_000 },
      );
    const results = await Promise.allSettled([run(db.prisma, 0), run(other, 1)]);
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(failed).toHaveLength(1);
    const names = await db.prisma.user.findMany({ where: { id: { in: ["a", "b"] } }, orderBy: { id: "asc" }, select: { name: true } });
    expect(names.map((n) => n.name).sort()).toEqual([results[0].status === "fulfilled" ? "by 0" : "by 1", "0"].sort());
    // Prisma 7 on adapter-pg throws the adapter's own error here, unwrapped: not P2034, no `code` at all
    expect(failed[0].reason).toMatchObject({ name: "DriverAdapterError", cause: { originalCode: "40001" } });
    expect(sqlStateOf(failed[0].reason)).toBe("40001");
    expect(isRetryableSqlError(failed[0].reason)).toBe(true);
  });
});
