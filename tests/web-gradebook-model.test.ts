// The grade book's models (web/models/gradebook*.ts) through the page's own HTTP client against the real API:
// two students submit (the reference solution, and a Service selecting app=demo), the table joins labReport with
// their attempts (scores, failed checkpoint with the grader's explanation), filters/sorts/pages, the pass rates
// and the distribution; regrade walks every page and reports changes; exports are gradeExport's documents; the
// course page's figures; an attempt's transcript and picture.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers/db-app.ts";
import { createHttpClient, type Client } from "../web/api/client.ts";
import { GradebookModel, histogram, tableView, DEFAULT_QUERY } from "../web/models/gradebook.ts";
import { CourseModel, duration } from "../web/models/gradebookCourse.ts";
import { AttemptModel, promptOf } from "../web/models/gradebookAttempt.ts";
import { getLab } from "../labs/catalog.ts";

const SLUG = "clusterip-services";
let t: TestApp;
const tok: Record<string, string> = {};
const clientFor = (who: string): Client =>
  createHttpClient({ token: () => tok[who], fetch: (input, init) => t.app.fetch(new Request(`http://kubelab.test${String(input)}`, init)) as Promise<Response> });

async function submitRun(who: string, lines: { line: string; host?: string; stdin?: string }[]): Promise<string> {
  const c = clientFor(who);
  const r = await c.request<any>(`mutation { createCluster(input: { name: "gb", labSlug: "${SLUG}", seed: 11 }) { ... on CreateClusterPayload { cluster { id } } } }`);
  const id = (r as any).data.createCluster.cluster.id;
  for (const e of lines) await c.request(`mutation($id: ID!, $c: String!, $h: String, $i: String) { exec(input: { clusterId: $id, command: $c, host: $h, stdin: $i }) { __typename } }`, { id, c: e.line, h: e.host ?? null, i: e.stdin ?? null });
  if (hintFor[who]) await c.request(`mutation($id: ID!, $cp: String!) { revealHint(input: { clusterId: $id, checkpointId: $cp }) { __typename } }`, { id, cp: hintFor[who] });
  const s = await c.request<any>(`mutation($id: ID!) { submitLab(input: { clusterId: $id }) { ... on SubmitLabPayload { attempt { id } } } }`, { id });
  return (s as any).data.submitLab.attempt.id;
}


/** A hint each student reveals before submitting. */
const hintFor: Record<string, string> = { bob: "service-created" };

const WRONG_SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: demoapp-svc
spec:
  clusterIP: 10.97.72.1
  selector:
    app: demo
  ports:
  - name: http
    port: 80
    targetPort: 80
`;
let wrongAttempt = "";
let maxScore = 0;

beforeAll(async () => {
  t = await createTestApp();
  tok.alice = await t.token({ sub: "alice", role: "student", course: "c1", name: "Alice" });
  tok.bob = await t.token({ sub: "bob", role: "student", course: "c1", name: "Bob" });
  tok.teacher = await t.token({ sub: "teacher", role: "instructor", course: "c1" });
  tok.grader = await t.token({ sub: "ci", role: "grader", course: "c1" });
  const lab = getLab(SLUG)!;
  maxScore = lab.checkpoints.reduce((n, c) => n + c.points, 0);
  await submitRun("alice", lab.solution);
  // bob applies the Service with the wrong selector (app=demo)
  const bad = lab.solution.map((e) => (/^kubectl apply -f services-clusterip-demo.yaml/.test(e.line) ? { line: "kubectl apply -f -", stdin: WRONG_SERVICE } : e));
  wrongAttempt = await submitRun("bob", bad);
});
afterAll(() => t?.close());

describe("GradebookModel", () => {
  it("shows both students with their scores and bob's failed checkpoint with the grader's explanation", async () => {
    const m = new GradebookModel({ client: clientFor("teacher"), courseId: "c1", slug: SLUG, pollSeconds: 0 });
    await m.load();
    expect(m.error.value).toBeNull();
    const b = m.book.value!;
    expect(b.maxScore).toBe(maxScore);
    const alice = b.students.find((s) => s.userId === "alice")!;
    const bob = b.students.find((s) => s.userId === "bob")!;
    expect(alice.score).toBe(maxScore);
    expect(alice.cells.every((c) => c.state === "passed")).toBe(true);
    expect(bob.score).toBeLessThan(maxScore);
    const failed = bob.cells.filter((c) => c.state === "failed");
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0].explanation).toBeTruthy();
    expect(bob.latestAttemptId).toBe(wrongAttempt);
    expect([alice.hintsUsed, bob.hintsUsed]).toEqual([0, 1]);
    // the pass rate of that checkpoint is below 100 %, the distribution holds both scores
    const stat = b.checkpoints.find((c) => c.id === failed[0].id)!;
    expect(stat.passRate).toBeLessThan(1);
    expect(b.scores).toEqual([bob.score, alice.score]);

    // filters and sort
    m.setQuery({ failed: failed[0].id });
    expect(m.view.value!.rows.map((r) => r.userId)).toEqual(["bob"]);
    m.setQuery({ failed: null, below: maxScore });
    expect(m.view.value!.rows.map((r) => r.userId)).toEqual(["bob"]);
    m.setQuery({ below: null });
    m.sortBy("score");
    expect(m.view.value!.rows.map((r) => r.userId)).toEqual(["alice", "bob"]);
    m.sortBy("score");
    expect(m.view.value!.rows.map((r) => r.userId)).toEqual(["bob", "alice"]);
    m.setQuery({ notSubmitted: true });
    expect(m.view.value!.total).toBe(0);
    m[Symbol.dispose]();
  });

  it("exports exactly what gradeExport gives", async () => {
    const m = new GradebookModel({ client: clientFor("grader"), courseId: "c1", slug: SLUG, pollSeconds: 0 });
    const f = (await m.exportAs("CSV"))!;
    const direct = await t.gql(tok.grader, `query { gradeExport(courseId: "c1", labSlug: "${SLUG}", format: CSV) { filename text } }`);
    expect(f.text).toBe(direct.data.gradeExport.text);
    expect(f.filename).toBe(direct.data.gradeExport.filename);
    expect(f.text).toMatch(/^user_id,/);
    expect(f.text).toContain("alice");
    expect(f.text).toContain("bob");
    m[Symbol.dispose]();
  });

  it("regrades page by page with progress and reports no change when the checks did not change", async () => {
    const m = new GradebookModel({ client: clientFor("grader"), courseId: "c1", slug: SLUG, pollSeconds: 0 });
    await m.load();
    const seen: number[] = [];
    const stop = m.regrade.subscribe((p) => p && seen.push(p.done));
    await m.runRegrade();
    stop();
    const p = m.regrade.value!;
    expect(p).toMatchObject({ done: 2, total: 2, finished: true, changes: [], failures: [] });
    // one attempt per page: the bar moves through 1 of 2 before 2 of 2 (a last, empty page may follow a full one)
    expect(p.pages).toBeGreaterThanOrEqual(2);
    expect(seen.slice(0, 3)).toEqual([0, 1, 2]);
    m[Symbol.dispose]();
  });
});

describe("tableView and histogram", () => {
  const rows = Array.from({ length: 45 }, (_, i) => ({
    userId: `u${String(i).padStart(2, "0")}`, name: `U${i}`, submitted: i % 3 !== 0, inProgress: false, attempts: i % 3 ? 1 : 0,
    score: i % 3 ? i % 7 : null, submittedAt: null, hintsUsed: i % 4, latestAttemptId: null, cells: [],
  }));
  it("pages 20 at a time and keeps the page in range", () => {
    const v = tableView(rows, { ...DEFAULT_QUERY, sort: "hintsUsed", page: 5 });
    expect(v).toMatchObject({ total: 45, pages: 3, page: 2 });
    expect(v.rows).toHaveLength(5);
    expect(tableView(rows, { ...DEFAULT_QUERY, notSubmitted: true }).total).toBe(15);
  });
  it("bins scores over 0..max, the top score in the last bin", () => {
    expect(histogram([0, 1, 5, 6, 6], 6, 3).map((b) => b.count)).toEqual([2, 0, 3]);
    expect(histogram([], 4).map((b) => b.count)).toEqual([0, 0, 0, 0]);
  });
});

describe("CourseModel and AttemptModel", () => {
  it("gives the course's labs with started, submitted, median score and time", async () => {
    const m = new CourseModel(clientFor("teacher"), "c1");
    await m.load();
    const l = m.labs.value!.find((x) => x.slug === SLUG)!;
    expect(l).toMatchObject({ started: 2, submitted: 2, title: getLab(SLUG)!.title });
    expect(l.medianScore).toBeGreaterThan(0);
    expect(duration(l.medianSecondsToSubmit)).toMatch(/\d+ (s|min)/);
    expect(duration(3900)).toBe("1 h 05 min");
  });

  it("gives the wrong attempt's transcript, explanations and picture; nothing to another student", async () => {
    const m = new AttemptModel(clientFor("teacher"), wrongAttempt);
    await m.load();
    const a = m.attempt.value!;
    expect(a.user).toBe("bob");
    expect(a.transcript.some((e) => e.input === "kubectl apply -f -")).toBe(true);
    expect(a.hints.map((h) => h.checkpointId)).toEqual(["service-created"]);
    expect(a.results!.checkpoints!.some((c) => !c.passed && c.explanation.length > 0)).toBe(true);
    expect(a.picture!.services.some((s) => s.name === "demoapp-svc" || s.type === "ClusterIP")).toBe(true);
    expect(promptOf("node01")).toBe("[root@node01 ~]# ");
    const other = new AttemptModel(clientFor("alice"), wrongAttempt);
    await other.load();
    expect(other.missing.value).toBe(true);
  });
});
