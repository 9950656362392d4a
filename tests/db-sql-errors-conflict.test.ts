// A write conflict between two serializable Prisma transactions is retryable (api/db/sql.ts isRetryableSqlError), made
// here for real: two transactions each read the rows the other one writes, so PostgreSQL lets only one of them
// through (40001). Where PostgreSQL notices decides the error's shape, and both happen (the first version of this test
// assumed one and failed now and then under load):
// - at the loser's write, when the winner has already committed: Prisma's P2034 (a PrismaClientKnownRequestError,
//   the adapter's error in meta.driverAdapterError);
// - at the loser's COMMIT, when both wrote before either committed: the driver adapter's own DriverAdapterError,
//   unwrapped, with no `code` — which isRetryableSqlError did not read (it said "not retryable") until this test.
// Each case is forced by the order of the two transactions' steps.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./helpers/db.ts";
import { deferred } from "./helpers/deferred.ts";
import { isRetryableSqlError, sqlStateOf } from "../api/db/sql.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.close());

type Client = typeof db.prisma;
const TX = { isolationLevel: "Serializable" as const, maxWait: 5_000, timeout: 10_000 };

/** Two transactions that each read both rows; the winner writes its row and commits; `loserWrites` says when the loser writes its own. */
async function conflict(ids: [string, string], loserWrites: "after the winner committed" | "before the winner commits"): Promise<unknown> {
  await db.prisma.user.createMany({ data: ids.map((id) => ({ id, name: "0" })) });
  const other = db.newClient();
  const read = [deferred(), deferred()];
  const winnerWrote = deferred();
  const loserWrote = deferred();
  const winner = db.prisma.$transaction(async (tx) => {
    await tx.user.findMany({ where: { id: { in: ids } } });
    read[0].resolve();
    await read[1].promise;
    await tx.user.update({ where: { id: ids[0] }, data: { name: "winner" } });
    winnerWrote.resolve();
    if (loserWrites === "before the winner commits") await loserWrote.promise;
  }, TX);
  const loser = (other as Client).$transaction(async (tx) => {
    await tx.user.findMany({ where: { id: { in: ids } } });
    read[1].resolve();
    await read[0].promise;
    if (loserWrites === "after the winner committed") await winner;
    else await winnerWrote.promise;
    try {
      await tx.user.update({ where: { id: ids[1] }, data: { name: "loser" } });
    } finally {
      loserWrote.resolve();
    }
    await winner;
  }, TX);
  const [w, l] = await Promise.allSettled([winner, loser]);
  expect(w.status).toBe("fulfilled");
  expect(l.status).toBe("rejected");
  const names = await db.prisma.user.findMany({ where: { id: { in: ids } }, orderBy: { id: "asc" }, select: { name: true } });
  expect(names.map((n) => n.name)).toEqual(["winner", "0"]);
  return (l as PromiseRejectedResult).reason;
}

// Two transactions at once need two connections: PostgreSQL only (PGlite has one).
describe.runIf(!!process.env.DATABASE_URL)("a serializable write conflict through Prisma", () => {
  it("noticed at the loser's write (the winner has committed): Prisma's P2034, which may run again", async () => {
    const e = await conflict(["w1", "w2"], "after the winner committed");
    expect(e).toMatchObject({ name: "PrismaClientKnownRequestError", code: "P2034", meta: { driverAdapterError: { cause: { originalCode: "40001" } } } });
    expect(isRetryableSqlError(e)).toBe(true);
  });

  it("noticed at the loser's COMMIT (both wrote first): the adapter's own error, SQLSTATE 40001, which may run again", async () => {
    const e = await conflict(["c1", "c2"], "before the winner commits");
    expect(e).toMatchObject({ name: "DriverAdapterError", cause: { originalCode: "40001" } });
    expect(sqlStateOf(e)).toBe("40001");
    expect(isRetryableSqlError(e)).toBe(true);
  });
});
