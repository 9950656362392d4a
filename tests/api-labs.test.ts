// Labs through the API: the catalog (labs/catalog.ts behind api/labs.ts's LabCatalog), a cluster started from a
// lab, reset back to its start, deleteCluster hiding it while keeping its log.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers/db-app.ts";
import { labCatalog, getLab, listLabs } from "../labs/catalog.ts";


let t: TestApp;
let alice: string;
beforeAll(async () => {
  t = await createTestApp();
  alice = await t.token({ sub: "alice", role: "student", course: "c1" });
});
afterAll(() => t?.close());

const PODS = `query($id: ID!) { cluster(id: $id) { version labSlug pods(allNamespaces: true) { namespace name ip labels } services(allNamespaces: true) { name clusterIP } } }`;

describe("labs", () => {
  it("lists the catalog and shows one lab", async () => {
    const r = await t.gql(alice, `{ labs { slug title checkpoints { id title points } } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data.labs.map((l: any) => l.slug)).toEqual(labCatalog.list().map((l) => l.slug));
    const slug = r.data.labs[0].slug;
    const one = await t.gql(alice, `query($s: String!) { lab(slug: $s) { slug instructions checkpoints { id } } }`, { s: slug });
    expect(one.data.lab.slug).toBe(slug);
    expect(one.data.lab.instructions).toContain("#");
    expect(one.data.lab.checkpoints.length).toBeGreaterThan(0);
    expect((await t.gql(alice, `{ lab(slug: "no-such-lab") { slug } }`)).data.lab).toBeNull();
  });

  it("creates a cluster from a lab, resets it to the lab's start, deletes it and keeps the log", async () => {
    const slug = labCatalog.list()[0].slug;
    const c = await t.gql(alice, `mutation($s: String!) { createCluster(input: { name: "lab", labSlug: $s, seed: 4 }) { __typename ... on CreateClusterPayload { cluster { id labSlug } } ... on Error { message } } }`, { s: slug });
    expect(c.data.createCluster.__typename).toBe("CreateClusterPayload");
    const id = c.data.createCluster.cluster.id;
    const start = (await t.gql(alice, PODS, { id })).data.cluster;
    expect(start.labSlug).toBe(slug);
    // the lab's cluster is the one the lab module builds for that seed
    const expected = labCatalog.createCluster(slug, 4);
    expect(start.pods.map((p: any) => p.name).sort()).toEqual(expected.list("Pod").map((p) => p.metadata.name).sort());

    const del = await t.gql(alice, `mutation($id: ID!) { deleteResource(input: { clusterId: $id, kind: "svc", name: "kubernetes" }) { __typename ... on DeleteResourcePayload { stdout } ... on Error { message } } }`, { id });
    expect(del.data.deleteResource).toEqual({ __typename: "DeleteResourcePayload", stdout: 'service "kubernetes" deleted\n' });
    expect((await t.gql(alice, PODS, { id })).data.cluster.services.map((s: any) => s.name)).not.toContain("kubernetes");

    const reset = await t.gql(alice, `mutation($id: ID!) { resetCluster(input: { clusterId: $id }) { __typename ... on ResetClusterPayload { cluster { version } } } }`, { id });
    expect(reset.data.resetCluster.cluster.version).toBe(3);
    const again = (await t.gql(alice, PODS, { id })).data.cluster;
    expect({ ...again, version: 0 }).toEqual({ ...start, version: 0 });

    const gone = await t.gql(alice, `mutation($id: ID!) { deleteCluster(input: { clusterId: $id }) { __typename ... on DeleteClusterPayload { clusterId } } }`, { id });
    expect(gone.data.deleteCluster).toEqual({ __typename: "DeleteClusterPayload", clusterId: id });
    expect((await t.gql(alice, PODS, { id })).data.cluster).toBeNull();
    expect((await t.gql(alice, `{ myClusters { id } }`)).data.myClusters).toEqual([]);
    const log = await t.db.prisma.commandLog.findMany({ where: { clusterId: id }, orderBy: { seq: "asc" } });
    expect(log.map((l) => l.operation)).toEqual(["deleteResource", "resetCluster", "deleteCluster"]);
  });

  it("an unknown lab is a NotFoundError and creates nothing", async () => {
    const r = await t.gql(alice, `mutation { createCluster(input: { name: "x", labSlug: "nope" }) { __typename ... on Error { message } } }`);
    expect(r.data.createCluster).toEqual({ __typename: "NotFoundError", message: 'lab "nope" not found' });
    expect(await t.db.prisma.cluster.count({ where: { name: "x" } })).toBe(0);
  });

  it("grades a lab cluster live and on submit, recording the attempt for the student and the instructor", async () => {
    const slug = labCatalog.list()[0].slug;
    const c = await t.gql(alice, `mutation($s: String!) { createCluster(input: { name: "graded", labSlug: $s, seed: 2 }) { ... on CreateClusterPayload { cluster { id } } } }`, { s: slug });
    const id = c.data.createCluster.cluster.id;
    const live = await t.gql(alice, `query($id: ID!) { cluster(id: $id) { version grade { score maxScore checkpoints { id passed points maxPoints explanation } } } }`, { id });
    expect(live.errors).toBeUndefined();
    const g = live.data.cluster.grade;
    expect(g.maxScore).toBe(labCatalog.get(slug)!.checkpoints.reduce((n, cp) => n + (cp.points ?? 0), 0));
    expect(g.score).toBeLessThan(g.maxScore); // a fresh lab cluster has not done the work
    expect(g.checkpoints.map((cp: any) => cp.id)).toEqual(labCatalog.get(slug)!.checkpoints.map((cp) => cp.id));
    expect(g.checkpoints.every((cp: any) => cp.explanation.length > 0)).toBe(true);
    expect(live.data.cluster.version).toBe(1); // grading changed nothing

    const sub = await t.gql(alice, `mutation($id: ID!) { submitLab(input: { clusterId: $id }) { __typename
      ... on SubmitLabPayload { grade { score maxScore } attempt { id labSlug score maxScore submittedAt checkpoints { checkpointId passed } } }
      ... on Error { message } } }`, { id });
    expect(sub.data.submitLab.__typename).toBe("SubmitLabPayload");
    const attempt = sub.data.submitLab.attempt;
    expect(attempt).toMatchObject({ labSlug: slug, score: g.score, maxScore: g.maxScore });
    expect(attempt.checkpoints).toHaveLength(g.checkpoints.length);

    expect((await t.gql(alice, `{ attempts { id } }`)).data.attempts.map((a: any) => a.id)).toEqual([attempt.id]);
    const teacher = await t.token({ sub: "teacher", role: "instructor", course: "c1" });
    const grades = await t.gql(teacher, `query($s: String!) { grades(courseId: "c1", labSlug: $s) { id user score } }`, { s: slug });
    expect(grades.data.grades).toEqual([{ id: attempt.id, user: "alice", score: g.score }]);

    // a cluster without a lab has no grade and cannot be submitted
    const plain = await t.gql(alice, `mutation { createCluster(input: { name: "plain" }) { ... on CreateClusterPayload { cluster { id grade { score } } } } }`);
    expect(plain.data.createCluster.cluster.grade).toBeNull();
    const no = await t.gql(alice, `mutation($id: ID!) { submitLab(input: { clusterId: $id }) { __typename ... on Error { message } } }`, { id: plain.data.createCluster.cluster.id });
    expect(no.data.submitLab.__typename).toBe("ValidationError");
  });

  it("a student solves a lab through the terminal mutation and submitLab gives full marks", async () => {
    const lab = listLabs().find((l) => l.slug.includes("clusterip")) ?? listLabs()[0];
    const bob = await t.token({ sub: "bob", role: "student", course: "c1" });
    const c = await t.gql(bob, `mutation($s: String!) { createCluster(input: { name: "solve", labSlug: $s, seed: 3 }) { ... on CreateClusterPayload { cluster { id } } } }`, { s: lab.slug });
    const id = c.data.createCluster.cluster.id;
    for (const e of getLab(lab.slug)!.solution) {
      const r = await t.gql(bob, `mutation($id: ID!, $c: String!, $h: String, $i: String) { exec(input: { clusterId: $id, command: $c, host: $h, stdin: $i }) { __typename ... on ExecPayload { exitCode } } }`, { id, c: e.line, h: e.host ?? null, i: e.stdin ?? null });
      expect(r.data.exec.__typename).toBe("ExecPayload");
    }
    const sub = await t.gql(bob, `mutation($id: ID!) { submitLab(input: { clusterId: $id }) { ... on SubmitLabPayload { grade { score maxScore checkpoints { id passed explanation } } } ... on Error { message } } }`, { id });
    const g = sub.data.submitLab.grade;
    expect(g.checkpoints.filter((cp: any) => !cp.passed)).toEqual([]);
    expect(g.score).toBe(g.maxScore);
    // the log kept where each line ran
    const log = await t.db.prisma.commandLog.findMany({ where: { clusterId: id, operation: "exec" }, orderBy: { seq: "asc" }, select: { input: true, host: true } });
    expect(log.map((l) => [l.input, l.host])).toEqual(getLab(lab.slug)!.solution.map((e) => [e.line, e.host ?? "master01"]));
  });
});
