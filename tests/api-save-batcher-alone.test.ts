// The save batcher's lone saves (api/db/save-batcher.ts), which api-save-batcher.test.ts reaches only when they
// succeed: a save that goes alone goes as the single-row statement (saveMutation's), once — if PostgreSQL refuses it,
// its caller gets that error as it is, and nothing is sent again (the "send each again alone" fallback is for a
// batch, whose refusal says nothing about which of its saves was at fault). And the default limits: two statements
// out at once, the saves that arrive meanwhile going together.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./helpers/db.ts";
import { prismaSql, isRetryableSqlError, type SqlClient } from "../api/db/sql.ts";
import { SaveBatcher } from "../api/db/save-batcher.ts";
import { saveParams, type SaveMutation } from "../api/db/cluster-store.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.prisma.user.create({ data: { id: "alice" } });
});
afterAll(() => db?.close());

const ROUTES: [string, () => SqlClient][] = [["through Prisma", () => prismaSql(db.prisma)]];
if (process.env.DATABASE_URL) ROUTES.push(["straight on pg", () => db.sql]);

let made = 0;
async function clusters(n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await db.prisma.cluster.create({ data: { ownerId: "alice", name: `l-${made++}`, seed: i, state: `{"n":0}`, version: 1 } })).id);
  return ids;
}

function save(clusterId: string, fromVersion: number, input: string): SaveMutation {
  return {
    fromVersion,
    stateText: JSON.stringify({ n: fromVersion + 1, input }),
    log: { clusterId, seq: fromVersion + 1, at: new Date(Date.UTC(2026, 10, 27, 12, 0, fromVersion)), virtualTime: "2021-12-05T16:00:00Z", actorId: "alice", operation: "label", host: null, input, stdin: null, stdout: `${input}\n`, stderr: "", exitCode: 0, replay: null },
  };
}

/** The route, counting the statements sent and how many saves' parameters each carried. */
function counting(real: SqlClient): { sql: SqlClient; sent: number[] } {
  const per = saveParams(save("x", 1, "")).length;
  const sent: number[] = [];
  return {
    sent,
    sql: {
      ...real,
      query: <T,>(text: string, params: readonly unknown[]) => {
        sent.push(params.length / per);
        return real.query<T>(text, params);
      },
      execute: (text: string, params: readonly unknown[]) => {
        sent.push(params.length / per);
        return real.execute(text, params);
      },
    },
  };
}

describe.each(ROUTES)("a save that goes alone, %s", (_route, route) => {
  it("refused by PostgreSQL: its caller gets the error, and it is not sent again", async () => {
    const [id] = await clusters(1);
    // its next log seq is taken although the row is still at version 1: the log insert is a unique violation
    await db.prisma.commandLog.create({ data: { ...save(id, 1, "already there").log, replay: undefined } });
    const { sql, sent } = counting(route());
    const b = new SaveBatcher(sql, { maxInFlight: 1, maxBatch: 16 });
    const e = await b.save(save(id, 1, "alone")).then(() => undefined, (err: unknown) => err);
    expect(isRetryableSqlError(e), String(e)).toBe(true);
    expect(sent).toEqual([1]);
    expect(b.stats).toEqual({ statements: 1, saves: 1, fallbacks: 0, unchanged: 0 });
    expect((await db.prisma.cluster.findUniqueOrThrow({ where: { id } })).version).toBe(1);
  });
});

describe("the default limits", () => {
  it("two statements out at once, alone; the saves that arrive meanwhile go together, at most 16 to a statement", async () => {
    const ids = await clusters(20);
    const { sql, sent } = counting(prismaSql(db.prisma));
    const b = new SaveBatcher(sql);
    expect(await Promise.all(ids.map((id, i) => b.save(save(id, 1, `d${i}`))))).toEqual(Array(20).fill(true));
    // the first two went at once, alone; the next 16 with the first to come back, the last 2 with the other
    expect(sent).toEqual([1, 1, 16, 2]);
    expect(b.stats).toEqual({ statements: 4, saves: 20, fallbacks: 0, unchanged: 0 });
  });
});
