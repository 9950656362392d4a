// Grading through the GraphQL API over HTTP with real tokens: students solve a lab (fully, partly) through the
// terminal mutation, checkProgress records first-pass times, revealHint is counted, submitLab closes attempts;
// instructors read the per-student / per-checkpoint report page by page; graders regrade by replay (== the live
// grade) and export CSV, Gradescope results.json, JUnit XML and LTI scores, which are parsed back and checked.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsv, parseXml } from "./helpers/export-parsers.ts";
import { createTestApp, type TestApp } from "./helpers/db-app.ts";
import { getLab } from "../labs/catalog.ts";
import { gradeCommands } from "../engine/grading/index.ts";
import type { CommandEntry, GradeResult, Lab } from "../engine/grading/index.ts";

const SLUG = "clusterip-services";
let lab: Lab;
let t: TestApp;
const tok: Record<string, string> = {};

const CREATE = `mutation($s: String!, $seed: Int, $n: String!) { createCluster(input: { name: $n, labSlug: $s, seed: $seed }) {
  __typename ... on CreateClusterPayload { cluster { id } } ... on Error { message } } }`;
const EXEC = `mutation($id: ID!, $c: String!, $h: String, $i: String) { exec(input: { clusterId: $id, command: $c, host: $h, stdin: $i }) {
  __typename ... on ExecPayload { exitCode stderr } ... on Error { message } } }`;
const ATTEMPT = `id open labSlug score maxScore submittedAt checkedAt checks progressScore hintsUsed clusterVersion
  hints { checkpointId at } checkpoints { checkpointId passed score maxScore firstPassedAt }`;
const CHECK = `mutation($id: ID!) { checkProgress(input: { clusterId: $id }) { __typename
  ... on CheckProgressPayload { checkedAt newlyPassed progressScore grade { score maxScore checkpoints { id passed points } } attempt { ${ATTEMPT} } }
  ... on Error { message } } }`;
const SUBMIT = `mutation($id: ID!) { submitLab(input: { clusterId: $id }) { __typename
  ... on SubmitLabPayload { checkedAt newlyPassed progressScore grade { score maxScore checkpoints { id passed points } } attempt { ${ATTEMPT} } cluster { openAttempt { id } } }
  ... on Error { message } } }`;
const HINT = `mutation($id: ID!, $cp: String!) { revealHint(input: { clusterId: $id, checkpointId: $cp }) { __typename
  ... on RevealHintPayload { checkpointId hint alreadyRevealed hintsUsed attempt { id open hints { checkpointId } } }
  ... on Error { message } } }`;
const REGRADE = `mutation($a: ID!, $r: Boolean) { regradeAttempt(input: { attemptId: $a, record: $r }) { __typename
  ... on RegradeAttemptPayload { matches seed clusterVersion replayedCommands skippedOperations gradescope junit lti
    recorded { score maxScore checkpoints { id passed points } } regrade { score maxScore checkpoints { id passed points explanation } } attempt { id score } }
  ... on Error { message } } }`;
const REPORT = `query($c: String!, $s: String!, $first: Int, $after: String) { labReport(courseId: $c, labSlug: $s) { courseId labSlug maxScore
  checkpoints { id title points students passed passRate }
  students(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { userId name attempts bestScore latestScore latestSubmittedAt inProgress hintsUsed checkpoints { checkpointId firstPassedAt passedInLatest } } } } } }`;
const EXPORT = `query($c: String!, $s: String!, $f: GradeExportFormat!, $p: GradePolicy) { gradeExport(courseId: $c, labSlug: $s, format: $f, policy: $p) {
  format contentType filename text lti rows } }`;

async function ok<T = any>(token: string, query: string, vars: Record<string, unknown>, typename?: string): Promise<T> {
  const r = await t.gql(token, query, vars);
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  const v = Object.values(r.data)[0] as any;
  if (typename) expect(v?.__typename, JSON.stringify(v)).toBe(typename);
  return v;
}

async function createLabCluster(who: string, seed: number, name = "lab"): Promise<string> {
  return (await ok(tok[who], CREATE, { s: SLUG, seed, n: name }, "CreateClusterPayload")).cluster.id;
}

async function run(who: string, id: string, lines: CommandEntry[]): Promise<void> {
  for (const e of lines) await ok(tok[who], EXEC, { id, c: e.line, h: e.host ?? null, i: e.stdin ?? null }, "ExecPayload");
}

const passedIds = (g: { checkpoints: { id: string; passed: boolean }[] }) => g.checkpoints.filter((c) => c.passed).map((c) => c.id).sort();
const pointsOf = (ids: string[]) => lab.checkpoints.filter((c) => ids.includes(c.id)).reduce((n, c) => n + c.points, 0);

// State the tests build on, in order.
const S: {
  alice?: string;
  aliceLog: CommandEntry[];
  aliceAttempt?: any;
  aliceFirstCheck?: string;
  bob?: string;
  bobAttempts: any[];
  prefix: CommandEntry[];
  prefixGrade?: GradeResult;
  freshGrade?: GradeResult;
} = { aliceLog: [], bobAttempts: [], prefix: [] };

beforeAll(async () => {
  lab = getLab(SLUG)!;
  t = await createTestApp();
  tok.alice = await t.token({ sub: "alice", role: "student", course: "c1", name: "Liddell, Alice" });
  tok.bob = await t.token({ sub: "bob", role: "student", course: "c1", name: 'Bob "B" =1+1' });
  tok.carol = await t.token({ sub: "carol", role: "student", course: "c1" });
  tok.dave = await t.token({ sub: "dave", role: "student", course: "c2" });
  tok.teacher = await t.token({ sub: "teacher", role: "instructor", course: "c1" });
  tok.pipeline = await t.token({ sub: "pipeline", role: "grader", course: "c1" });
  tok.other = await t.token({ sub: "other-teacher", role: "instructor", course: "c2" });
  tok.erin = await t.token({ sub: "erin", role: "student", course: "c3" }); // alone in her course: the reports of c1/c2 do not see her
  // The partial solution: the shortest prefix of the reference solution that earns some but not all points.
  for (let k = 1; k <= lab.solution.length; k++) {
    const g = gradeCommands(lab, 12, lab.solution.slice(0, k));
    if (g.score > 0 && g.score < g.maxScore) {
      S.prefix = lab.solution.slice(0, k);
      S.prefixGrade = g;
      break;
    }
  }
  S.freshGrade = gradeCommands(lab, 12, []);
});
afterAll(() => t?.close());

describe("grading through the API", () => {
  it("the lab and its partial solution are what the test needs", () => {
    expect(lab).toBeDefined();
    expect(lab.checkpoints.length).toBeGreaterThanOrEqual(3);
    expect(S.prefixGrade, "some prefix of the solution must pass some checkpoints").toBeDefined();
    expect(S.freshGrade!.score).toBeLessThan(S.prefixGrade!.score);
  });

  it("checkProgress records each checkpoint's first pass and keeps it when the checkpoint fails later", async () => {
    const id = (S.alice = await createLabCluster("alice", 11));
    const max = lab.checkpoints.reduce((n, c) => n + c.points, 0);

    const first = await ok(tok.alice, CHECK, { id }, "CheckProgressPayload");
    expect(first.grade.score).toBe(gradeCommands(lab, 11, []).score);
    expect(first.grade.maxScore).toBe(max);
    expect(first.attempt).toMatchObject({ open: true, labSlug: SLUG, checks: 1, submittedAt: null, score: null, hintsUsed: 0 });
    expect(first.newlyPassed).toEqual(passedIds(first.grade));
    const clusterVersion = async () => (await t.gql(tok.alice, `query($id: ID!) { cluster(id: $id) { version openAttempt { id } } }`, { id })).data.cluster;
    expect(await clusterVersion()).toEqual({ version: 1, openAttempt: { id: first.attempt.id } }); // read-only for the cluster

    // Up to and including the apply: the same checkpoints pass as in the offline grader.
    const upToApply = lab.solution.slice(0, lab.solution.findIndex((e) => /kubectl apply/.test(e.line)) + 1);
    await run("alice", id, upToApply);
    S.aliceLog.push(...upToApply);
    const second = await ok(tok.alice, CHECK, { id }, "CheckProgressPayload");
    const expected = gradeCommands(lab, 11, S.aliceLog);
    expect(passedIds(second.grade)).toEqual(passedIds(expected));
    expect(second.grade.score).toBe(expected.score);
    expect(second.newlyPassed.sort()).toEqual(passedIds(expected).filter((c) => !first.newlyPassed.includes(c)));
    expect(second.newlyPassed).toContain("service-created");
    expect(second.attempt.id).toBe(first.attempt.id); // one open attempt per cluster
    expect(second.attempt.checks).toBe(2);
    expect(second.attempt.checkedAt).toBe(second.checkedAt);
    const fp = Object.fromEntries(second.attempt.checkpoints.map((c: any) => [c.checkpointId, c.firstPassedAt]));
    for (const c of second.newlyPassed) expect(fp[c]).toBe(second.checkedAt);
    for (const c of lab.checkpoints.map((c) => c.id).filter((c) => !passedIds(expected).includes(c))) expect(fp[c]).toBeNull();
    S.aliceFirstCheck = second.checkedAt;

    // Undo a checkpoint: the service goes away. It fails now, but its first pass (and its points in progress) stay.
    const undo = { line: "kubectl delete svc demoapp-svc" };
    await run("alice", id, [undo]);
    S.aliceLog.push(undo);
    const third = await ok(tok.alice, CHECK, { id }, "CheckProgressPayload");
    expect(third.grade.checkpoints.find((c: any) => c.id === "service-created").passed).toBe(false);
    expect(third.grade.score).toBe(gradeCommands(lab, 11, S.aliceLog).score);
    expect(third.newlyPassed).toEqual([]);
    const svc = third.attempt.checkpoints.find((c: any) => c.checkpointId === "service-created");
    expect(svc).toMatchObject({ passed: false, score: 0, firstPassedAt: second.checkedAt });
    expect(third.progressScore).toBe(pointsOf(passedIds(expected)));
    expect(third.progressScore).toBeGreaterThan(third.grade.score);
  });

  it("revealHint returns the checkpoint's hint and counts each hint once per attempt", async () => {
    const id = S.alice!;
    const [a, b] = lab.checkpoints.filter((c) => c.hint);
    const h1 = await ok(tok.alice, HINT, { id, cp: a.id }, "RevealHintPayload");
    expect(h1).toMatchObject({ checkpointId: a.id, hint: a.hint, alreadyRevealed: false, hintsUsed: 1 });
    const again = await ok(tok.alice, HINT, { id, cp: a.id }, "RevealHintPayload");
    expect(again).toMatchObject({ hint: a.hint, alreadyRevealed: true, hintsUsed: 1 });
    const h2 = await ok(tok.alice, HINT, { id, cp: b.id }, "RevealHintPayload");
    expect(h2).toMatchObject({ hint: b.hint, alreadyRevealed: false, hintsUsed: 2 });
    expect(h2.attempt.hints.map((h: any) => h.checkpointId)).toEqual([a.id, b.id]);
    const nope = await ok(tok.alice, HINT, { id, cp: "no-such-checkpoint" }, "NotFoundError");
    expect(nope.message).toContain("no-such-checkpoint");
    // someone else's cluster looks exactly like a missing one
    const foreign = await ok(tok.bob, HINT, { id, cp: a.id }, "NotFoundError");
    const missing = await ok(tok.bob, HINT, { id: "00000000-0000-4000-8000-000000000000", cp: a.id }, "NotFoundError");
    expect(foreign.message.replace(id, "X")).toBe(missing.message.replace("00000000-0000-4000-8000-000000000000", "X"));
  });

  it("submitLab closes the attempt with the score of the checkpoints passing now, keeping first-pass times", async () => {
    const id = S.alice!;
    const rest = lab.solution.slice(lab.solution.findIndex((e) => /kubectl apply/.test(e.line)));
    await run("alice", id, rest);
    S.aliceLog.push(...rest);
    const sub = await ok(tok.alice, SUBMIT, { id }, "SubmitLabPayload");
    const offline = gradeCommands(lab, 11, S.aliceLog);
    expect(sub.grade.score).toBe(offline.score);
    expect(sub.grade.score).toBe(sub.grade.maxScore);
    expect(sub.attempt).toMatchObject({ open: false, score: sub.grade.score, maxScore: sub.grade.maxScore, hintsUsed: 2, checks: 4, submittedAt: sub.checkedAt });
    expect(sub.cluster.openAttempt).toBeNull();
    const fp = Object.fromEntries(sub.attempt.checkpoints.map((c: any) => [c.checkpointId, c.firstPassedAt]));
    expect(fp["service-created"]).toBe(S.aliceFirstCheck); // the first pass, not the re-apply
    for (const c of sub.newlyPassed) expect(fp[c]).toBe(sub.checkedAt);
    expect(Object.values(fp).every((v) => v !== null)).toBe(true);
    expect(sub.progressScore).toBe(sub.grade.maxScore);
    S.aliceAttempt = sub.attempt;
    // the student's own attempts list shows it
    const mine = await t.gql(tok.alice, `{ attempts { id score hintsUsed checkpoints { checkpointId firstPassedAt } } }`);
    expect(mine.data.attempts.map((a: any) => a.id)).toEqual([sub.attempt.id]);
    // a check after submitting opens a new attempt on the same cluster
    const next = await ok(tok.alice, CHECK, { id }, "CheckProgressPayload");
    expect(next.attempt.id).not.toBe(sub.attempt.id);
    expect(next.attempt).toMatchObject({ open: true, checks: 1, hintsUsed: 0 });
  });

  it("a partial solution, a reset and a second submit: two attempts with their own scores", async () => {
    const id = (S.bob = await createLabCluster("bob", 12));
    await run("bob", id, S.prefix);
    const one = await ok(tok.bob, SUBMIT, { id }, "SubmitLabPayload");
    expect(one.grade.score).toBe(S.prefixGrade!.score);
    expect(passedIds(one.grade)).toEqual(passedIds(S.prefixGrade!));
    // never checked before: first passes are the submit time
    for (const c of one.attempt.checkpoints) expect(c.firstPassedAt).toBe(c.passed ? one.checkedAt : null);
    S.bobAttempts.push(one.attempt);

    const reset = await t.gql(tok.bob, `mutation($id: ID!) { resetCluster(input: { clusterId: $id }) { __typename } }`, { id });
    expect(reset.data.resetCluster.__typename).toBe("ResetClusterPayload");
    // time passes and a label is set outside the terminal (replayed by its stored descriptor)
    await ok(tok.bob, `mutation($id: ID!) { advanceClock(input: { clusterId: $id, seconds: 20 }) { __typename } }`, { id }, "AdvanceClockPayload");
    await ok(tok.bob, `mutation($id: ID!) { label(input: { clusterId: $id, target: "nodes/node01", set: [{ key: "zone", value: "a" }] }) { __typename ... on Error { message } } }`, { id }, "LabelPayload");
    const two = await ok(tok.bob, SUBMIT, { id }, "SubmitLabPayload");
    expect(two.grade.score).toBe(S.freshGrade!.score);
    expect(two.attempt.id).not.toBe(one.attempt.id);
    S.bobAttempts.push(two.attempt);
  });

  it("concurrent first checks open one attempt; concurrent hints are all counted", async () => {
    const id = await createLabCluster("carol", 13, "racing");
    const checks = await Promise.all(Array.from({ length: 6 }, () => ok(tok.carol, CHECK, { id }, "CheckProgressPayload")));
    expect(new Set(checks.map((c) => c.attempt.id)).size).toBe(1);
    const ids = lab.checkpoints.map((c) => c.id);
    const hints = await Promise.all(ids.map((cp) => ok(tok.carol, HINT, { id, cp }, "RevealHintPayload")));
    expect(hints.every((h) => !h.alreadyRevealed)).toBe(true);
    const a = await t.db.prisma.labAttempt.findUniqueOrThrow({ where: { id: checks[0].attempt.id } });
    expect(a.hintsUsed).toBe(ids.length);
    expect(a.checks).toBe(6);
  });

  it("a check's and a submit's attempt without relations (the row their write returned) read as the stored attempt does", async () => {
    // every field of LabAttempt but its relation (checkpoints), which makes the payload read the attempt again
    const fields = `id user courseId clusterId labSlug startedAt submittedAt score maxScore hintsUsed results open checkedAt checks progressScore
      hints { checkpointId at } clusterVersion regradedAt`;
    const check = `mutation($id: ID!) { checkProgress(input: { clusterId: $id }) { __typename ... on CheckProgressPayload { attempt { ${fields} } } ... on Error { message } } }`;
    const submit = `mutation($id: ID!) { submitLab(input: { clusterId: $id }) { __typename ... on SubmitLabPayload { attempt { ${fields} } } ... on Error { message } } }`;
    const id = await createLabCluster("erin", 14, "plain");
    await ok(tok.erin, HINT, { id, cp: lab.checkpoints.find((c) => c.hint)!.id }, "RevealHintPayload");
    await run("erin", id, S.prefix);
    const checked = (await ok(tok.erin, check, { id }, "CheckProgressPayload")).attempt;
    const open = (await t.gql(tok.erin, `query($id: ID!) { cluster(id: $id) { openAttempt { ${fields} } } }`, { id })).data.cluster.openAttempt;
    expect(checked).toEqual(open);
    expect(checked).toMatchObject({ hintsUsed: 1, checks: 1, open: true, clusterId: id, user: "erin", courseId: "c3" });
    expect(checked.results.score).toBe(S.prefixGrade!.score);
    const submitted = (await ok(tok.erin, submit, { id }, "SubmitLabPayload")).attempt;
    const listed = (await t.gql(tok.erin, `{ attempts(labSlug: "${SLUG}") { ${fields} } }`)).data.attempts.find((a: { id: string }) => a.id === submitted.id);
    expect(submitted).toEqual(listed);
    expect(submitted).toMatchObject({ id: checked.id, open: false, score: S.prefixGrade!.score, checks: 2, clusterVersion: S.prefix.length + 1 });
    expect(submitted.submittedAt).toBe(submitted.checkedAt);
  });

  it("students, and other courses, cannot use the staff views; foreign and missing ids look the same", async () => {
    await ok(tok.dave, `{ me { id } }`, {});
    const daveCluster = await createLabCluster("dave", 14);
    const daveSub = await ok(tok.dave, SUBMIT, { id: daveCluster }, "SubmitLabPayload");

    for (const [q, vars] of [
      [REPORT, { c: "c1", s: SLUG }],
      [EXPORT, { c: "c1", s: SLUG, f: "CSV" }],
      [REGRADE, { a: S.aliceAttempt.id }],
    ] as const) {
      const r = await t.gql(tok.alice, q, vars);
      expect(r.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([["Not authorized", "FORBIDDEN"]]);
      expect(Object.values(r.data ?? { x: null })).toEqual([null]);
      const anon = await t.gql(null, q, vars);
      expect(anon.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    }
    // the course in the token is the only course: another course or an unknown lab is null alike
    expect((await t.gql(tok.teacher, REPORT, { c: "c2", s: SLUG })).data.labReport).toBeNull();
    expect((await t.gql(tok.teacher, REPORT, { c: "c1", s: "no-such-lab" })).data.labReport).toBeNull();
    expect((await t.gql(tok.pipeline, EXPORT, { c: "c2", s: SLUG, f: "LTI" })).data.gradeExport).toBeNull();
    // an attempt of another course is exactly a missing attempt
    const foreign = await ok(tok.other, REGRADE, { a: S.aliceAttempt.id }, "NotFoundError");
    const missing = await ok(tok.other, REGRADE, { a: "00000000-0000-4000-8000-000000000000" }, "NotFoundError");
    expect(foreign.message.replace(S.aliceAttempt.id, "X")).toBe(missing.message.replace("00000000-0000-4000-8000-000000000000", "X"));
    expect((await ok(tok.teacher, REGRADE, { a: daveSub.attempt.id }, "NotFoundError")).message).toBe(`attempt "${daveSub.attempt.id}" not found`);
    // a student's cluster is only checked by its owner (staff may read it, not record on it)
    await ok(tok.teacher, CHECK, { id: S.alice }, "NotFoundError");
    // two submits at once: two closed attempts, nothing left open
    const both = await Promise.all([0, 1].map(() => ok(tok.dave, SUBMIT, { id: daveCluster }, "SubmitLabPayload")));
    expect(new Set([daveSub.attempt.id, ...both.map((b) => b.attempt.id)]).size).toBe(3);
    expect(both.every((b) => !b.attempt.open)).toBe(true);
    // (each payload's cluster is read after its own commit, so it may catch the other submit's attempt in flight;
    // once both are done, nothing is open)
    const after = await t.gql(tok.dave, `query($id: ID!) { cluster(id: $id) { openAttempt { id } } }`, { id: daveCluster });
    expect(after.data.cluster.openAttempt).toBeNull();
    // the other course's instructor sees dave only
    const c2 = await ok(tok.other, REPORT, { c: "c2", s: SLUG });
    expect(c2.students.edges.map((e: any) => e.node.userId)).toEqual(["dave"]);
  });

  it("regrading replays an attempt's log on a fresh cluster with the same seed and equals the live grade", async () => {
    const a = await ok(tok.pipeline, REGRADE, { a: S.aliceAttempt.id }, "RegradeAttemptPayload");
    expect(a.matches).toBe(true);
    expect(a.seed).toBe(11);
    expect(a.regrade.score).toBe(S.aliceAttempt.score);
    expect(a.regrade.checkpoints.map((c: any) => [c.id, c.passed, c.points])).toEqual(a.recorded.checkpoints.map((c: any) => [c.id, c.passed, c.points]));
    expect(a.replayedCommands).toBe(S.aliceLog.length);
    expect(a.skippedOperations).toEqual([]);
    expect(a.clusterVersion).toBe(S.aliceAttempt.clusterVersion);
    // the regrade as pipeline documents
    expect(a.gradescope.score).toBe(a.regrade.score);
    expect(a.gradescope.tests.map((x: any) => [x.name, x.score, x.max_score, x.output])).toEqual(a.regrade.checkpoints.map((c: any, i: number) => [lab.checkpoints[i].title, c.points, lab.checkpoints[i].points, c.explanation]));
    const suite = parseXml(a.junit).children[0];
    expect(suite.attrs).toMatchObject({ name: `${SLUG}.alice`, tests: String(lab.checkpoints.length), failures: "0" });
    expect(a.lti).toMatchObject({ userId: "alice", scoreGiven: a.regrade.score, scoreMaximum: a.regrade.maxScore, activityProgress: "Submitted", gradingProgress: "FullyGraded", timestamp: S.aliceAttempt.submittedAt });
    // and equals the offline grader on the same commands
    const offline = gradeCommands(lab, 11, S.aliceLog);
    expect(a.regrade.checkpoints.map((c: any) => [c.id, c.passed, c.explanation])).toEqual(offline.checkpoints.map((c) => [c.id, c.passed, c.explanation]));

    // bob's first attempt ends before his reset; his second starts after it
    const [b1, b2] = await Promise.all(S.bobAttempts.map((x) => ok(tok.teacher, REGRADE, { a: x.id }, "RegradeAttemptPayload")));
    expect(b1).toMatchObject({ matches: true, seed: 12, replayedCommands: S.prefix.length, skippedOperations: [] });
    expect(b1.regrade.score).toBe(S.prefixGrade!.score);
    expect(b2.matches).toBe(true);
    expect(b2.regrade.score).toBe(S.freshGrade!.score);
    expect(b2.replayedCommands).toBe(2); // the clock advance and the label, by their replay descriptors
    expect(b2.skippedOperations).toEqual([]);

    // recording a regrade writes it as the attempt's grade (same here, so the score does not move)
    const rec = await ok(tok.pipeline, REGRADE, { a: S.bobAttempts[0].id, r: true }, "RegradeAttemptPayload");
    expect(rec.attempt.score).toBe(S.prefixGrade!.score);
    const row = await t.db.prisma.labAttempt.findUniqueOrThrow({ where: { id: S.bobAttempts[0].id } });
    expect(row.regradedAt).not.toBeNull();
  });

  it("the instructor report: per student best/latest/attempts/first passes/hints, per checkpoint pass rates, paginated", async () => {
    const page1 = await ok(tok.teacher, REPORT, { c: "c1", s: SLUG, first: 2 });
    expect(page1).toMatchObject({ courseId: "c1", labSlug: SLUG, maxScore: lab.checkpoints.reduce((n, c) => n + c.points, 0) });
    expect(page1.students.totalCount).toBe(3);
    expect(page1.students.pageInfo.hasNextPage).toBe(true);
    const [alice, bob] = page1.students.edges.map((e: any) => e.node);
    expect(alice).toMatchObject({ userId: "alice", name: "Liddell, Alice", attempts: 1, bestScore: S.aliceAttempt.score, latestScore: S.aliceAttempt.score, inProgress: true, hintsUsed: 2 });
    expect(alice.latestSubmittedAt).toBe(S.aliceAttempt.submittedAt);
    expect(alice.checkpoints).toEqual(
      lab.checkpoints.map((c) => ({ checkpointId: c.id, firstPassedAt: S.aliceAttempt.checkpoints.find((x: any) => x.checkpointId === c.id).firstPassedAt, passedInLatest: true })),
    );
    expect(bob).toMatchObject({ userId: "bob", attempts: 2, bestScore: S.prefixGrade!.score, latestScore: S.freshGrade!.score, inProgress: false, hintsUsed: 0 });
    for (const c of bob.checkpoints) {
      expect(c.firstPassedAt !== null).toBe(S.prefixGrade!.checkpoints.find((x) => x.id === c.checkpointId)!.passed || S.freshGrade!.checkpoints.find((x) => x.id === c.checkpointId)!.passed);
      expect(c.passedInLatest).toBe(S.freshGrade!.checkpoints.find((x) => x.id === c.checkpointId)!.passed);
    }

    const page2 = await ok(tok.teacher, REPORT, { c: "c1", s: SLUG, first: 2, after: page1.students.pageInfo.endCursor });
    // carol only checked and took every hint: an open attempt, nothing submitted
    const carolFresh = gradeCommands(lab, 13, []);
    expect(page2.students.edges.map((e: any) => e.node)).toEqual([
      {
        userId: "carol", name: null, attempts: 0, bestScore: null, latestScore: null, latestSubmittedAt: null, inProgress: true, hintsUsed: lab.checkpoints.length,
        checkpoints: lab.checkpoints.map((c) => ({ checkpointId: c.id, firstPassedAt: carolFresh.checkpoints.find((x) => x.id === c.id)!.passed ? expect.any(String) : null, passedInLatest: false })),
      },
    ]);
    expect(page2.students.pageInfo.hasNextPage).toBe(false);

    // pass rate: among students who started (alice, bob, carol), those who passed the checkpoint at some point
    for (const c of page1.checkpoints) {
      const passedBy = (gs: GradeResult[]) => gs.some((g) => g.checkpoints.find((x) => x.id === c.id)!.passed);
      const expectedPassed = 1 + (passedBy([S.prefixGrade!, S.freshGrade!]) ? 1 : 0) + (passedBy([carolFresh]) ? 1 : 0);
      expect(c).toMatchObject({ students: 3, passed: expectedPassed, passRate: expectedPassed / 3 });
    }
    expect(page1.checkpoints.map((c: any) => c.id)).toEqual(lab.checkpoints.map((c) => c.id));
    // backwards: the last student, then the one before
    const LAST = `query($before: String) { labReport(courseId: "c1", labSlug: "${SLUG}") { students(last: 1, before: $before) { pageInfo { hasPreviousPage startCursor } edges { node { userId } } } } }`;
    const last = (await ok(tok.teacher, LAST, {})).students;
    expect(last.edges.map((e: any) => e.node.userId)).toEqual(["carol"]);
    expect(last.pageInfo.hasPreviousPage).toBe(true);
    const before = (await ok(tok.teacher, LAST, { before: last.pageInfo.startCursor })).students;
    expect(before.edges.map((e: any) => e.node.userId)).toEqual(["bob"]);
    // graders read it too
    expect((await ok(tok.pipeline, REPORT, { c: "c1", s: SLUG, first: 1 })).students.edges.map((e: any) => e.node.userId)).toEqual(["alice"]);
  });

  it("exports: CSV gradebook columns, Gradescope results.json fields, JUnit XML, LTI AGS scores", async () => {
    const max = lab.checkpoints.reduce((n, c) => n + c.points, 0);
    const expectedScore: Record<string, Record<string, number>> = {
      LATEST: { alice: S.aliceAttempt.score, bob: S.freshGrade!.score },
      BEST: { alice: S.aliceAttempt.score, bob: S.prefixGrade!.score },
    };
    const expectedGrade = (policy: string, user: string) => (user === "alice" ? gradeCommands(lab, 11, S.aliceLog) : policy === "BEST" ? S.prefixGrade! : S.freshGrade!);

    for (const policy of ["LATEST", "BEST"]) {
      const csv = (await ok(tok.pipeline, EXPORT, { c: "c1", s: SLUG, f: "CSV", p: policy })).text;
      const rows = parseCsv(csv);
      expect(rows[0]).toEqual(["user_id", "name", "email", "lab", "score", "max_score", "percent", "attempts", "graded_at", ...lab.checkpoints.map((c) => c.id)]);
      const body = rows.slice(1);
      expect(body.map((r) => r[0])).toEqual(["alice", "bob"]); // carol has no submitted attempt; dave is another course
      const col = (r: string[], name: string) => r[rows[0].indexOf(name)];
      for (const r of body) {
        const user = r[0];
        expect(Number(col(r, "score"))).toBe(expectedScore[policy][user]);
        expect(Number(col(r, "max_score"))).toBe(max);
        expect(Number(col(r, "percent"))).toBeCloseTo((100 * expectedScore[policy][user]) / max, 2);
        expect(col(r, "lab")).toBe(SLUG);
        expect(Number(col(r, "attempts"))).toBe(user === "alice" ? 1 : 2);
        expect(Number.isNaN(Date.parse(col(r, "graded_at")))).toBe(false);
        const g = expectedGrade(policy, user);
        for (const c of g.checkpoints) expect(Number(col(r, c.id))).toBe(c.points);
      }
      expect(col(body[0], "name")).toBe("Liddell, Alice"); // quoted field survives
      expect(col(body[1], "name")).toBe('Bob "B" =1+1'); // quotes doubled and restored
    }

    const gs = await ok(tok.pipeline, EXPORT, { c: "c1", s: SLUG, f: "GRADESCOPE" });
    expect(gs.contentType).toBe("application/json");
    const docs = JSON.parse(gs.text);
    expect(docs).toHaveLength(2);
    for (const d of docs) {
      // Gradescope's documented results.json fields
      expect(typeof d.score).toBe("number");
      expect(["visible", "hidden", "after_due_date", "after_published"]).toContain(d.visibility);
      expect(["visible", "hidden", "after_due_date", "after_published"]).toContain(d.stdout_visibility);
      expect(Array.isArray(d.tests)).toBe(true);
      const user = d.extra_data.user_id;
      const g = expectedGrade("LATEST", user);
      expect(d.score).toBe(g.score);
      expect(d.tests).toHaveLength(lab.checkpoints.length);
      d.tests.forEach((tc: any, i: number) => {
        expect(tc).toMatchObject({ name: lab.checkpoints[i].title, score: g.checkpoints[i].points, max_score: lab.checkpoints[i].points, output: g.checkpoints[i].explanation });
        expect(["passed", "failed"]).toContain(tc.status);
      });
      expect(d.tests.reduce((n: number, tc: any) => n + tc.score, 0)).toBe(d.score);
    }
    expect(docs.map((d: any) => d.extra_data.user_id)).toEqual(["alice", "bob"]);

    const junit = await ok(tok.pipeline, EXPORT, { c: "c1", s: SLUG, f: "JUNIT" });
    const root = parseXml(junit.text);
    expect(root.name).toBe("testsuites");
    const failing = expectedGrade("LATEST", "bob").checkpoints.filter((c) => !c.passed).length;
    expect(root.attrs).toMatchObject({ tests: String(2 * lab.checkpoints.length), failures: String(failing), errors: "0" });
    const suites = root.children.filter((c) => c.name === "testsuite");
    expect(suites.map((s) => s.attrs.name)).toEqual([`${SLUG}.alice`, `${SLUG}.bob`]);
    for (const s of suites) {
      const user = s.attrs.name.split(".").pop()!;
      const g = expectedGrade("LATEST", user);
      const cases = s.children.filter((c) => c.name === "testcase");
      expect(cases).toHaveLength(lab.checkpoints.length);
      cases.forEach((tc, i) => {
        expect(tc.attrs.name).toBe(`${lab.checkpoints[i].id}: ${lab.checkpoints[i].title}`);
        const failure = tc.children.find((c) => c.name === "failure");
        expect(!!failure).toBe(!g.checkpoints[i].passed);
        if (failure) expect(failure.text).toBe(g.checkpoints[i].explanation);
      });
      expect(Number(s.attrs.failures)).toBe(g.checkpoints.filter((c) => !c.passed).length);
    }

    const lti = await ok(tok.teacher, EXPORT, { c: "c1", s: SLUG, f: "LTI" });
    expect(JSON.parse(lti.text)).toEqual(lti.lti);
    const submittedAt: Record<string, string> = { alice: S.aliceAttempt.submittedAt, bob: S.bobAttempts[1].submittedAt };
    expect(lti.lti.map((s: any) => s.userId)).toEqual(["alice", "bob"]);
    for (const s of lti.lti) {
      expect(s).toMatchObject({ scoreGiven: expectedScore.LATEST[s.userId], scoreMaximum: max, activityProgress: "Submitted", gradingProgress: "FullyGraded", timestamp: submittedAt[s.userId] });
      expect(s.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
  });
});
