// regradeLab through the GraphQL API: every submitted attempt of a lab in the staff member's course, a page at a
// time. Students submit the clusterip-services lab in the ways a class does (the whole solution, half of it, going on
// working after the submit, resetting after the submit, submitting twice); the batch regrade of each attempt equals
// its submitted grade and what regradeAttempt (replay) gives, whether it was graded from the stored state (cluster
// unchanged since the submit) or by replay; pages cover every attempt once; only staff of the course may run it;
// graded on worker threads the page is the same; and with a fixed lab and `record: true` the new grades become the
// attempts' grades, checkpoint rows included.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers/db-app.ts";
import { getLab } from "../labs/catalog.ts";
import { catalog } from "../api/labs-catalog.ts";
import { gradeLab } from "../engine/grading/index.ts";
import type { CommandEntry, Lab } from "../engine/grading/index.ts";
import type { LabCatalog } from "../api/labs.ts";
import type { App } from "../api/app.ts";
import type { SqlClient } from "../api/db/sql.ts";
import { WorkerGradePool } from "../api/node/grade-pool.ts";
import { chunksOf } from "../api/grading-batch.ts";

const SLUG = "clusterip-services";
const lab: Lab = getLab(SLUG)!;
const MAX = lab.checkpoints.reduce((n, c) => n + c.points, 0);
let t: TestApp;
const tok: Record<string, string> = {};
/** attempt id -> what we expect of it */
const expected = new Map<string, { user: string; score: number; method: "STATE" | "REPLAY" }>();
const clusterOf: Record<string, string> = {};
let openAttemptId: string;

const CREATE = `mutation($s: String, $seed: Int, $n: String!) { createCluster(input: { name: $n, labSlug: $s, seed: $seed }) {
  __typename ... on CreateClusterPayload { cluster { id } } ... on Error { message } } }`;
const EXEC = `mutation($id: ID!, $c: String!, $h: String, $i: String) { exec(input: { clusterId: $id, command: $c, host: $h, stdin: $i }) {
  __typename ... on ExecPayload { exitCode } ... on Error { message } } }`;
const SUBMIT = `mutation($id: ID!) { submitLab(input: { clusterId: $id }) { __typename
  ... on SubmitLabPayload { grade { score } attempt { id score } } ... on Error { message } } }`;
const CHECK = `mutation($id: ID!) { checkProgress(input: { clusterId: $id }) { __typename ... on CheckProgressPayload { attempt { id } } ... on Error { message } } }`;
const RESET = `mutation($id: ID!) { resetCluster(input: { clusterId: $id }) { __typename } }`;
const REGRADE_ONE = `mutation($a: ID!, $r: Boolean) { regradeAttempt(input: { attemptId: $a, record: $r }) { __typename
  ... on RegradeAttemptPayload { regrade { score maxScore checkpoints { id passed points explanation } } } ... on Error { message } } }`;
const REGRADE_LAB = `mutation($c: String!, $s: String!, $r: Boolean, $after: ID, $first: Int) {
  regradeLab(input: { courseId: $c, labSlug: $s, record: $r, after: $after, first: $first }) { __typename
    ... on RegradeLabPayload { courseId labSlug recorded regraded changed nextCursor regradedAt
      failures { attemptId message }
      attempts { attemptId userId submittedAt previousScore score maxScore matches method clusterVersion
        grade { score maxScore checkpoints { id passed points explanation } } } }
    ... on Error { message } } }`;

async function ok<T = any>(token: string, query: string, vars: Record<string, unknown>, typename?: string, app?: App): Promise<T> {
  const r = await t.gql(token, query, vars, app);
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  const v = Object.values(r.data)[0] as any;
  if (typename) expect(v?.__typename, JSON.stringify(v)).toBe(typename);
  return v;
}

async function run(who: string, id: string, lines: CommandEntry[]): Promise<void> {
  for (const e of lines) await ok(tok[who], EXEC, { id, c: e.line, h: e.host ?? null, i: e.stdin ?? null }, "ExecPayload");
}

async function newCluster(who: string, seed: number): Promise<string> {
  return (await ok(tok[who], CREATE, { s: SLUG, seed, n: `lab-${seed}` }, "CreateClusterPayload")).cluster.id;
}

async function submit(who: string, id: string, method: "STATE" | "REPLAY"): Promise<string> {
  const s = await ok(tok[who], SUBMIT, { id }, "SubmitLabPayload");
  expected.set(s.attempt.id, { user: who, score: s.grade.score, method });
  return s.attempt.id;
}

const half = lab.solution.slice(0, Math.ceil(lab.solution.length / 2));

beforeAll(async () => {
  t = await createTestApp();
  for (const s of ["s1", "s2", "s3", "s4", "s5", "s6"]) tok[s] = await t.token({ sub: s, role: "student", course: "c1", name: s.toUpperCase() });
  tok.grader = await t.token({ sub: "grader", role: "grader", course: "c1" });
  tok.teach = await t.token({ sub: "teach", role: "instructor", course: "c1" });
  tok.other = await t.token({ sub: "other", role: "instructor", course: "c2" });

  // s1: the whole solution, untouched since the submit
  const c1 = await newCluster("s1", 11);
  clusterOf.s1 = c1;
  await run("s1", c1, lab.solution);
  await submit("s1", c1, "STATE");
  // s2: half of it
  const c2 = await newCluster("s2", 12);
  await run("s2", c2, half);
  await submit("s2", c2, "STATE");
  // s3: the solution, then goes on working (deletes what the lab built): the submitted cluster is in the log only
  const c3 = await newCluster("s3", 13);
  await run("s3", c3, lab.solution);
  await submit("s3", c3, "REPLAY");
  await run("s3", c3, [{ line: "kubectl delete svc --all" }, { line: "kubectl delete deployments --all" }]);
  // s4: the solution, then resets the cluster
  const c4 = await newCluster("s4", 14);
  await run("s4", c4, lab.solution);
  await submit("s4", c4, "REPLAY");
  await ok(tok.s4, RESET, { id: c4 });
  // s5: half, submits; then the rest, submits again: the first attempt's cluster moved on, the second's did not
  const c5 = await newCluster("s5", 15);
  await run("s5", c5, half);
  await submit("s5", c5, "REPLAY");
  await run("s5", c5, lab.solution.slice(half.length));
  await submit("s5", c5, "STATE");
  // s6: checks progress but never submits: not regraded
  const c6 = await newCluster("s6", 16);
  await run("s6", c6, half);
  openAttemptId = (await ok(tok.s6, CHECK, { id: c6 }, "CheckProgressPayload")).attempt.id;
});
afterAll(() => t?.close());

describe("regradeLab", () => {
  it("regrades every submitted attempt: the submitted grade again, from the stored state or by replay, as regradeAttempt does", async () => {
    const r = await ok(tok.grader, REGRADE_LAB, { c: "c1", s: SLUG }, "RegradeLabPayload");
    expect(r).toMatchObject({ courseId: "c1", labSlug: SLUG, recorded: false, changed: 0, nextCursor: null, regradedAt: null, failures: [] });
    expect(r.regraded).toBe(expected.size);
    const ids = r.attempts.map((a: { attemptId: string }) => a.attemptId);
    expect(new Set(ids)).toEqual(new Set(expected.keys()));
    expect(ids).toEqual([...ids].sort()); // attempt order
    const scores = new Set<number>();
    for (const a of r.attempts) {
      const want = expected.get(a.attemptId)!;
      expect(a).toMatchObject({ userId: want.user, score: want.score, previousScore: want.score, matches: true, method: want.method, maxScore: MAX });
      scores.add(a.score);
      const one = await ok(tok.grader, REGRADE_ONE, { a: a.attemptId }, "RegradeAttemptPayload");
      expect(a.grade).toEqual(one.regrade);
    }
    expect(scores.size).toBeGreaterThan(1); // full and partial solutions really differ
  });

  it("graded on worker threads (as the Node server does): the same page, the same grades", async () => {
    const pool = new WorkerGradePool(2);
    try {
      const inline = await ok(tok.grader, REGRADE_LAB, { c: "c1", s: SLUG }, "RegradeLabPayload");
      const threaded = await ok(tok.grader, REGRADE_LAB, { c: "c1", s: SLUG }, "RegradeLabPayload", t.restart({ gradePool: pool }));
      expect(threaded.regraded).toBe(expected.size);
      expect(pool.stats.jobs).toBe(expected.size); // on the threads indeed
      expect(threaded).toEqual(inline);
    } finally {
      await pool.close();
    }
  });

  it("pages cover every attempt exactly once, in attempt order", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const r: any = await ok(tok.teach, REGRADE_LAB, { c: "c1", s: SLUG, first: 2, after }, "RegradeLabPayload");
      seen.push(...r.attempts.map((a: { attemptId: string }) => a.attemptId));
      after = r.nextCursor;
      if (!after) break;
    }
    expect(after).toBeNull();
    expect(seen).toHaveLength(expected.size);
    expect(new Set(seen)).toEqual(new Set(expected.keys()));
    expect(seen).toEqual([...seen].sort());
  });

  it("refuses what it cannot do, with the reason", async () => {
    const bad = await ok(tok.grader, REGRADE_LAB, { c: "c1", s: SLUG, after: "not-a-cursor" });
    expect(bad).toMatchObject({ __typename: "ValidationError", message: "after is not a cursor this API gave out" });
    const big = await ok(tok.grader, REGRADE_LAB, { c: "c1", s: SLUG, first: 5000 });
    expect(big).toMatchObject({ __typename: "ValidationError", message: "first must be between 1 and 1000" });
    expect(await ok(tok.other, REGRADE_LAB, { c: "c1", s: SLUG })).toMatchObject({ __typename: "NotFoundError" });
    expect(await ok(tok.grader, REGRADE_LAB, { c: "c1", s: "no-such-lab" })).toMatchObject({ __typename: "NotFoundError" });
    const student = await t.gql(tok.s1, REGRADE_LAB, { c: "c1", s: SLUG });
    expect(student.data?.regradeLab ?? null).toBeNull();
    expect(student.errors?.[0].message).toMatch(/not authorized/i);
  });

  it("after the lab is fixed, record: true makes the regrades the attempts' grades, checkpoint rows included", async () => {
    // The fix: the first checkpoint is worth twice as much.
    const fixed: Lab = { ...lab, checkpoints: lab.checkpoints.map((c, i) => (i === 0 ? { ...c, points: c.points * 2 } : c)) };
    const fixedCatalog: LabCatalog = {
      ...catalog,
      grade: (slug, cluster, commands) => {
        const g = gradeLab(fixed, cluster, { commandLog: commands });
        return { score: g.score, maxScore: g.maxScore, checkpoints: g.checkpoints.map((c) => ({ id: c.id, title: c.title, passed: c.passed, points: c.points, maxPoints: c.maxPoints, explanation: c.explanation })) };
      },
    };
    const app = t.restart({ labs: fixedCatalog });
    const cp0 = lab.checkpoints[0];
    const dry = await ok(tok.grader, REGRADE_LAB, { c: "c1", s: SLUG }, "RegradeLabPayload", app);
    const passedFirst = dry.attempts.filter((a: any) => a.grade.checkpoints[0].passed);
    expect(passedFirst.length).toBeGreaterThan(0);
    expect(dry.changed).toBe(passedFirst.length);
    expect((await t.db.prisma.labAttempt.findMany({ where: { regradedAt: { not: null } } })).length).toBe(0); // a dry run writes nothing

    const r = await ok(tok.grader, REGRADE_LAB, { c: "c1", s: SLUG, r: true }, "RegradeLabPayload", app);
    expect(r.recorded).toBe(true);
    expect(r.regradedAt).not.toBeNull();
    for (const a of r.attempts) {
      const before = expected.get(a.attemptId)!.score;
      const first = a.grade.checkpoints[0];
      expect(a.previousScore).toBe(before);
      expect(a.score).toBe(before + (first.passed ? cp0.points : 0));
      expect(a.maxScore).toBe(MAX + cp0.points);
      const row = await t.db.prisma.labAttempt.findUniqueOrThrow({ where: { id: a.attemptId }, include: { checkpoints: true } });
      expect(row.score).toBe(a.score);
      expect(row.maxScore).toBe(a.maxScore);
      expect(row.regradedAt?.toISOString()).toBe(r.regradedAt);
      expect((row.results as any).regradedAt).toBe(r.regradedAt);
      expect((row.results as any).score).toBe(a.score);
      const cpRow = row.checkpoints.find((c) => c.checkpointId === cp0.id)!;
      expect(cpRow).toMatchObject({ passed: first.passed, score: first.points, maxScore: cp0.points * 2 });
      expect(row.checkpoints).toHaveLength(lab.checkpoints.length);
    }
    // regraded again with the same checks: nothing changes any more
    const again = await ok(tok.grader, REGRADE_LAB, { c: "c1", s: SLUG }, "RegradeLabPayload", app);
    expect(again.changed).toBe(0);
  });

  it("regradeAttempt records through the same writes: an open attempt gets the grade in its results, and no score", async () => {
    const one = await ok(tok.grader, REGRADE_ONE, { a: openAttemptId, r: true }, "RegradeAttemptPayload");
    const row = await t.db.prisma.labAttempt.findUniqueOrThrow({ where: { id: openAttemptId }, include: { checkpoints: true } });
    expect(row.submittedAt).toBeNull();
    expect(row.score).toBeNull();
    expect(row.regradedAt).not.toBeNull();
    expect((row.results as any).score).toBe(one.regrade.score);
    expect((row.results as any).regradedAt).toBe(row.regradedAt!.toISOString());
    expect(row.checkpoints.map((c) => [c.checkpointId, c.passed]).sort()).toEqual(one.regrade.checkpoints.map((c: any) => [c.id, c.passed]).sort());
  });

  it("a write that fails mid-regrade records nothing: the page is one transaction", async () => {
    const before = await t.db.prisma.labAttempt.findMany({ where: { courseId: "c1", labSlug: SLUG }, orderBy: { id: "asc" }, include: { checkpoints: { orderBy: { checkpointId: "asc" } } } });
    const failing: SqlClient = {
      ...t.db.sql,
      transaction: (fn, o) =>
        t.db.sql.transaction(
          (tx) =>
            fn({
              ...tx,
              execute: async (text, params) => {
                if (text.includes('INSERT INTO "CheckpointResult"')) throw new Error("disk full");
                return tx.execute(text, params);
              },
            }),
          o,
        ),
    };
    const r = await t.gql(tok.grader, REGRADE_LAB, { c: "c1", s: SLUG, r: true }, t.restart({ sql: failing }));
    expect(r.data?.regradeLab ?? null).toBeNull();
    expect(r.errors?.[0].message).toMatch(/disk full|Unexpected error/);
    const after = await t.db.prisma.labAttempt.findMany({ where: { courseId: "c1", labSlug: SLUG }, orderBy: { id: "asc" }, include: { checkpoints: { orderBy: { checkpointId: "asc" } } } });
    expect(after).toEqual(before); // the attempts' UPDATE ran before the failing INSERT, and was rolled back with it
  });

  it("a cluster that changes during the regrade (after its page was read) is replayed instead, to the same grade", async () => {
    const [s1Attempt] = [...expected].find(([, v]) => v.user === "s1")!;
    let changed = false;
    // The student runs a command between the page read and the read of the states: the stored state moves on.
    const racing: SqlClient = {
      ...t.db.sql,
      query: async <T,>(text: string, params: readonly unknown[]) => {
        if (!changed && text.includes("SELECT id, version, state FROM")) {
          changed = true;
          await ok(tok.s1, EXEC, { id: clusterOf.s1, c: "kubectl delete svc --all", h: null, i: null }, "ExecPayload");
        }
        return t.db.sql.query<T>(text, params);
      },
    };
    const r = await ok(tok.grader, REGRADE_LAB, { c: "c1", s: SLUG }, "RegradeLabPayload", t.restart({ sql: racing }));
    expect(changed).toBe(true);
    expect(r.failures).toEqual([]);
    const a = r.attempts.find((x: { attemptId: string }) => x.attemptId === s1Attempt);
    expect(a).toMatchObject({ method: "REPLAY", score: expected.get(s1Attempt)!.score });
  });
  it("a page of several chunks (read, graded two at a time on the threads, written in turn): every attempt once, in order, graded as alone", async () => {
    const originals = await t.db.prisma.labAttempt.findMany({ where: { courseId: "c1", labSlug: SLUG, submittedAt: { not: null } } });
    // 120 more submitted attempts, copies of the class's (the same cluster and version graded): four chunks in all
    await t.db.prisma.labAttempt.createMany({
      data: Array.from({ length: 120 }, (_, i) => {
        const a = originals[i % originals.length];
        return { id: randomUUID(), userId: a.userId, courseId: a.courseId, clusterId: a.clusterId, labSlug: a.labSlug, startedAt: a.startedAt, submittedAt: a.submittedAt, score: a.score, maxScore: a.maxScore, clusterVersion: a.clusterVersion };
      }),
    });
    const n = originals.length + 120;
    const pool = new WorkerGradePool(2);
    try {
      const threadedApp = t.restart({ gradePool: pool });
      const inline = await ok(tok.grader, REGRADE_LAB, { c: "c1", s: SLUG, first: 1000 }, "RegradeLabPayload");
      const threaded = await ok(tok.grader, REGRADE_LAB, { c: "c1", s: SLUG, first: 1000 }, "RegradeLabPayload", threadedApp);
      expect(pool.stats.jobs).toBe(n);
      expect(threaded).toEqual(inline);
      expect(threaded.regraded).toBe(n);
      expect(threaded.failures).toEqual([]);
      const ids = threaded.attempts.map((a: { attemptId: string }) => a.attemptId);
      expect(ids).toEqual([...new Set(ids)].sort());
      // a copy is graded exactly as the attempt it copies: the same cluster at the same version
      const byCluster = new Map<string, unknown>();
      const rows = await t.db.prisma.labAttempt.findMany({ where: { id: { in: ids } }, select: { id: true, clusterId: true, clusterVersion: true } });
      const key = new Map(rows.map((r) => [r.id, `${r.clusterId}@${r.clusterVersion}`]));
      for (const a of threaded.attempts) {
        const k = key.get(a.attemptId)!;
        if (!byCluster.has(k)) byCluster.set(k, a.grade);
        expect(a.grade, k).toEqual(byCluster.get(k));
      }
      expect(byCluster.size).toBe(new Set(originals.map((a) => `${a.clusterId}@${a.clusterVersion}`)).size);
      // recorded: every attempt and its checkpoint rows, written chunk after chunk in the one transaction
      const at = new Date(Date.now() - 1000);
      const rec = await ok(tok.grader, REGRADE_LAB, { c: "c1", s: SLUG, first: 1000, r: true }, "RegradeLabPayload", threadedApp);
      expect(rec.recorded).toBe(true);
      expect(await t.db.prisma.labAttempt.count({ where: { id: { in: ids }, regradedAt: { gte: at } } })).toBe(n);
      expect(await t.db.prisma.checkpointResult.count({ where: { attemptId: { in: ids } } })).toBe(n * lab.checkpoints.length);
    } finally {
      await pool.close();
    }
  });
});

describe("regradeLab's pipeline chunks", () => {
  // A small first chunk (grading starts early), a small last one (the last write and the commit wait for little), and
  // pieces of at most 40 between them, evenly sized; every attempt once, in page order.
  it.each([
    [0, []],
    [1, [1]],
    [10, [10]],
    [11, [10, 1]],
    [29, [10, 19]],
    [30, [10, 10, 10]],
    [60, [10, 40, 10]],
    [61, [10, 21, 20, 10]],
    [100, [10, 40, 40, 10]],
    [101, [10, 27, 27, 27, 10]],
    [1000, [10, ...Array(5).fill(40), ...Array(20).fill(39), 10]],
  ])("a page of %i attempts goes in chunks of %j", (n, sizes) => {
    const work = Array.from({ length: n }, (_, i) => i);
    const chunks = chunksOf(work);
    expect(chunks.map((c) => c.length)).toEqual(sizes);
    expect(chunks.flat()).toEqual(work);
  });
});
