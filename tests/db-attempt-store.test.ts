// The open attempt a progress check or a submit records into (api/db/attempt-store.ts), rule by rule, on a real
// database through the route the server's hot path takes (db.sql): created on first use, owned as the cluster is;
// read back, with the first-pass times of exactly the checkpoints that have passed; a submitted attempt is no longer
// open; two first checks racing make one attempt (the loser's INSERT does nothing and it reads the winner's); and the
// loop that reads, creates and reads again ends — after three rounds with nothing to read and nothing made, it fails
// instead of spinning. api-grading reaches the same function only through whole GraphQL checks and submits.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./helpers/db.ts";
import { openAttemptProgress, type AttemptOwner } from "../api/db/attempt-store.ts";
import type { SqlClient } from "../api/db/sql.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.prisma.user.create({ data: { id: "ana" } });
});
afterAll(() => db?.close());

let made = 0;
async function cluster(courseId: string | null = "c1"): Promise<AttemptOwner> {
  const c = await db.prisma.cluster.create({ data: { ownerId: "ana", courseId, name: `a-${made++}`, labSlug: "labels", seed: 1, state: "{}" } });
  return { clusterId: c.id, userId: "ana", courseId, labSlug: "labels" };
}

/** db.sql with each statement it is sent recorded, first word only (SELECT / INSERT). */
function counted(inner: SqlClient): { sql: SqlClient; sent: string[] } {
  const sent: string[] = [];
  const sql: SqlClient = {
    query: (text, params) => {
      sent.push(text.trimStart().split(/\s/)[0]);
      return inner.query(text, params);
    },
    execute: (text, params) => inner.execute(text, params),
    transaction: (fn, opts) => inner.transaction(fn, opts),
  };
  return { sql, sent };
}

const attemptsOf = (clusterId: string) => db.prisma.labAttempt.findMany({ where: { clusterId }, orderBy: { startedAt: "asc" } });

describe("openAttemptProgress", () => {
  it("a cluster's first check creates its open attempt — one read, one insert — owned as the cluster is, with no first passes", async () => {
    for (const courseId of ["c1", null]) {
      const o = await cluster(courseId);
      const { sql, sent } = counted(db.sql);
      const open = await openAttemptProgress(sql, o);
      expect(open.firstPassedAt).toEqual({});
      expect(sent).toEqual(["SELECT", "INSERT"]);
      const rows = await attemptsOf(o.clusterId);
      expect(rows.map((a) => ({ id: a.id, userId: a.userId, courseId: a.courseId, clusterId: a.clusterId, labSlug: a.labSlug, openClusterId: a.openClusterId }))).toEqual([
        { id: open.attemptId, userId: "ana", courseId, clusterId: o.clusterId, labSlug: "labels", openClusterId: o.clusterId },
      ]);
    }
  });

  it("the next check reads the same attempt (one statement) — with no first passes while nothing has passed", async () => {
    const o = await cluster();
    const first = await openAttemptProgress(db.sql, o);
    const { sql, sent } = counted(db.sql);
    expect(await openAttemptProgress(sql, o)).toEqual({ attemptId: first.attemptId, firstPassedAt: {} });
    expect(sent).toEqual(["SELECT"]);
    // checkpoints checked but never passed are no first passes either
    await db.prisma.checkpointResult.createMany({
      data: [
        { attemptId: first.attemptId, checkpointId: "never", passed: false, score: 0, maxScore: 1 },
        { attemptId: first.attemptId, checkpointId: "also-never", passed: false, score: 0, maxScore: 2 },
      ],
    });
    expect(await openAttemptProgress(db.sql, o)).toEqual({ attemptId: first.attemptId, firstPassedAt: {} });
    expect(await attemptsOf(o.clusterId)).toHaveLength(1);
  });

  it("the first passes are exactly the checkpoints that have passed in this attempt, each at its first pass — also one that fails now", async () => {
    const o = await cluster();
    const other = await cluster();
    const { attemptId } = await openAttemptProgress(db.sql, o);
    const otherAttempt = (await openAttemptProgress(db.sql, other)).attemptId;
    const t1 = new Date("2026-12-01T10:00:00.123Z");
    const t2 = new Date("2026-12-01T10:05:00.456Z");
    await db.prisma.checkpointResult.createMany({
      data: [
        { attemptId, checkpointId: "passes", passed: true, score: 1, maxScore: 1, firstPassedAt: t1 },
        { attemptId, checkpointId: "passed-then-failed", passed: false, score: 0, maxScore: 1, firstPassedAt: t2 },
        { attemptId, checkpointId: "never", passed: false, score: 0, maxScore: 1 },
        // another cluster's attempt's passes are not this one's
        { attemptId: otherAttempt, checkpointId: "elsewhere", passed: true, score: 1, maxScore: 1, firstPassedAt: t1 },
      ],
    });
    expect(await openAttemptProgress(db.sql, o)).toEqual({ attemptId, firstPassedAt: { passes: t1, "passed-then-failed": t2 } });
    expect(await openAttemptProgress(db.sql, other)).toEqual({ attemptId: otherAttempt, firstPassedAt: { elsewhere: t1 } });
  });

  it("a submitted attempt is no longer open: the next check starts a new one, without the old one's passes", async () => {
    const o = await cluster();
    const { attemptId } = await openAttemptProgress(db.sql, o);
    await db.prisma.checkpointResult.create({ data: { attemptId, checkpointId: "p", passed: true, score: 1, maxScore: 1, firstPassedAt: new Date() } });
    await db.prisma.labAttempt.update({ where: { id: attemptId }, data: { openClusterId: null, submittedAt: new Date() } });
    const next = await openAttemptProgress(db.sql, o);
    expect(next.attemptId).not.toBe(attemptId);
    expect(next.firstPassedAt).toEqual({});
    expect((await attemptsOf(o.clusterId)).map((a) => [a.id, a.openClusterId])).toEqual([
      [attemptId, null],
      [next.attemptId, o.clusterId],
    ]);
  });

  it("two first checks racing make one attempt: the loser's insert does nothing, and it reads the winner's", async () => {
    const o = await cluster();
    // the other check creates the attempt between this one's read (none yet) and its insert
    let rival: Promise<{ attemptId: string }> | undefined;
    const { sql, sent } = counted({
      ...db.sql,
      query: async (text, params) => {
        if (/^\s*INSERT/.test(text) && !rival) await (rival = openAttemptProgress(db.sql, o));
        return db.sql.query(text, params);
      },
    });
    const loser = await openAttemptProgress(sql, o);
    expect(loser).toEqual({ attemptId: (await rival!).attemptId, firstPassedAt: {} });
    expect(sent).toEqual(["SELECT", "INSERT", "SELECT"]);
    expect(await attemptsOf(o.clusterId)).toHaveLength(1);

    // and truly at once, however the two interleave: one attempt, the same for both
    const p = await cluster();
    const [a, b] = await Promise.all([openAttemptProgress(db.sql, p), openAttemptProgress(db.sql, p)]);
    expect(a.attemptId).toBe(b.attemptId);
    expect(await attemptsOf(p.clusterId)).toHaveLength(1);
  });

  it("gives up after three rounds in which there was nothing to read and its insert made nothing, naming the cluster", async () => {
    const o = await cluster();
    const sent: string[] = [];
    const nothing: SqlClient = {
      query: async (text) => {
        sent.push(text.trimStart().split(/\s/)[0]);
        return [];
      },
      execute: async () => 0,
      transaction: (fn) => fn(nothing),
    };
    await expect(openAttemptProgress(nothing, o)).rejects.toThrow(new Error(`could not open an attempt for cluster ${o.clusterId}`));
    expect(sent).toEqual(["SELECT", "INSERT", "SELECT", "INSERT", "SELECT", "INSERT"]);
  });
});
