// Failure paths over HTTP: foreign ids look missing; malformed YAML, invalid labels and oversized input come back as
// typed errors and leave the cluster exactly as it was; 50 concurrent label mutations all land; a restarted server
// (a new app instance and Prisma client on the same database) loses nothing; auth failures reveal nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers/db-app.ts";
import { signToken } from "../api/auth.ts";
import { createApp, silentLogger } from "../api/app.ts";
import { TEST_SECRET } from "./helpers/db-app.ts";

let t: TestApp;
let alice: string;
let bob: string;
let id: string;

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web-1
  labels:
    app: web
spec:
  containers:
  - name: web
    image: ikubernetes/demoapp:v1.0
`;

const SNAPSHOT = `query($id: ID!) { cluster(id: $id) { version now pods(allNamespaces: true) { name namespace labels ip }
  services(allNamespaces: true) { name clusterIP } commandLog { totalCount } } }`;

const LABEL = `mutation($input: LabelInput!) { label(input: $input) {
  __typename ... on LabelPayload { stdout results { name changed } cluster { version } }
  ... on ValidationError { message issues { field message } reason } ... on Error { message } } }`;

const APPLY = `mutation($id: ID!, $yaml: String!) { applyManifest(input: { clusterId: $id, yaml: $yaml }) {
  __typename ... on ApplyManifestPayload { exitCode results { name action error { message } } }
  ... on ValidationError { message issues { field message } } ... on Error { message } } }`;

beforeAll(async () => {
  t = await createTestApp();
  alice = await t.token({ sub: "alice", role: "student", course: "c1" });
  bob = await t.token({ sub: "bob", role: "student", course: "c1" });
  const c = await t.gql(alice, `mutation { createCluster(input: { name: "r", seed: 5 }) { ... on CreateClusterPayload { cluster { id } } } }`);
  id = c.data.createCluster.cluster.id;
  const a = await t.gql(alice, APPLY, { id, yaml: POD });
  expect(a.data.applyManifest.results[0].action).toBe("created");
});
afterAll(() => t?.close());

async function snapshot(token = alice, app = t.app) {
  const s = await t.gql(token, SNAPSHOT, { id }, app);
  expect(s.errors).toBeUndefined();
  return s.data.cluster;
}

describe("tenancy", () => {
  it("every mutation on someone else's cluster answers exactly as for a missing id", async () => {
    const missing = "9b2f6c1e-0000-4000-8000-000000000001";
    const cases: [string, Record<string, unknown>][] = [
      [`mutation($id: ID!) { exec(input: { clusterId: $id, command: "kubectl get pods" }) { __typename ... on Error { message } } }`, {}],
      [`mutation($id: ID!) { label(input: { clusterId: $id, target: "po/web-1", set: [{ key: "x", value: "y" }] }) { __typename ... on Error { message } } }`, {}],
      [`mutation($id: ID!) { deleteCluster(input: { clusterId: $id }) { __typename ... on Error { message } } }`, {}],
      [`mutation($id: ID!) { advanceClock(input: { clusterId: $id, seconds: 5 }) { __typename ... on Error { message } } }`, {}],
    ];
    for (const [q] of cases) {
      const foreign = await t.gql(bob, q, { id });
      const none = await t.gql(bob, q, { id: missing });
      const field = Object.keys(foreign.data)[0];
      expect(foreign.data[field].__typename).toBe("NotFoundError");
      expect(foreign.data[field].message).toBe(none.data[field].message.replace(missing, id));
      expect(foreign.status).toBe(none.status);
    }
    // a malformed id is missing too, not a database error
    const bad = await t.gql(bob, `mutation { exec(input: { clusterId: "not-a-uuid", command: "ls" }) { __typename ... on Error { message } } }`);
    expect(bad.data.exec).toEqual({ __typename: "NotFoundError", message: 'cluster "not-a-uuid" not found' });
  });
});

describe("typed errors leave the cluster unchanged", () => {
  it("malformed YAML", async () => {
    const before = await snapshot();
    const r = await t.gql(alice, APPLY, { id, yaml: "apiVersion: v1\nkind: Service\nmetadata: [unclosed\n  name: x" });
    expect(r.errors).toBeUndefined();
    expect(r.data.applyManifest.__typename).toBe("ValidationError");
    expect(r.data.applyManifest.message).toMatch(/malformed manifest/);
    expect(r.data.applyManifest.issues[0].field).toBe("yaml");
    expect(await snapshot()).toEqual(before);
  });

  it("YAML alias bombs are refused", async () => {
    const before = await snapshot();
    const lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 0; i < 8; i++) lines.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill("*" + String.fromCharCode(97 + i)).join(", ")}]`);
    const r = await t.gql(alice, APPLY, { id, yaml: lines.join("\n") + "\n" });
    expect(r.data.applyManifest.__typename).toBe("ValidationError");
    expect(await snapshot()).toEqual(before);
  });

  it("an invalid label (bad key, bad value), and overwriting without overwrite", async () => {
    const before = await snapshot();
    const badKey = await t.gql(alice, LABEL, { input: { clusterId: id, target: "po/web-1", set: [{ key: "-bad", value: "v" }] } });
    expect(badKey.data.label.__typename).toBe("ValidationError");
    expect(badKey.data.label.reason).toBe("Invalid");
    expect(badKey.data.label.message).toContain('The Pod "web-1" is invalid');
    const badValue = await t.gql(alice, LABEL, { input: { clusterId: id, target: "po/web-1", set: [{ key: "ok", value: "x".repeat(64) }] } });
    expect(badValue.data.label.__typename).toBe("ValidationError");
    const clash = await t.gql(alice, LABEL, { input: { clusterId: id, target: "po/web-1", set: [{ key: "app", value: "other" }] } });
    expect(clash.data.label.__typename).toBe("ValidationError");
    expect(clash.data.label.message).toContain("--overwrite is false");
    const missingPod = await t.gql(alice, LABEL, { input: { clusterId: id, target: "po/nope", set: [{ key: "a", value: "b" }] } });
    expect(missingPod.data.label).toMatchObject({ __typename: "NotFoundError", message: 'pods "nope" not found' });
    expect(await snapshot()).toEqual(before);
  });

  it("oversized input: manifest, command, request count, whole request body", async () => {
    const before = await snapshot();
    const big = "# " + "x".repeat(300 * 1024) + "\n" + POD;
    const r1 = await t.gql(alice, APPLY, { id, yaml: big });
    expect(r1.data.applyManifest.__typename).toBe("ValidationError");
    expect(r1.data.applyManifest.message).toMatch(/limit is 262144/);
    const r2 = await t.gql(alice, `mutation($id: ID!, $c: String!) { exec(input: { clusterId: $id, command: $c }) { __typename ... on Error { message } } }`, { id, c: "echo " + "a".repeat(9000) });
    expect(r2.data.exec.__typename).toBe("ValidationError");
    const r3 = await t.gql(alice, `mutation($id: ID!) { sendRequests(input: { clusterId: $id, from: "node/node01", url: "http://10.96.0.1", count: 100000 }) { __typename ... on Error { message } } }`, { id });
    expect(r3.data.sendRequests.__typename).toBe("ValidationError");
    const r4 = await t.gql(alice, APPLY, { id, yaml: "x".repeat(1100 * 1024) });
    expect(r4.status).toBe(413);
    expect(r4.data).toBeUndefined();
    expect(r4.errors?.[0].message).toMatch(/larger than/);
    expect(await snapshot()).toEqual(before);
  });

  it("query limits (graphql-armor): too deep, too many aliases", async () => {
    const deep = await t.gql(alice, `{ me { clusters { commandLog { edges { node { seq } } pageInfo { hasNextPage } } } } }`);
    expect(deep.errors).toBeUndefined();
    const aliases = Array.from({ length: 30 }, (_, i) => `a${i}: me { id }`).join(" ");
    const r = await t.gql(alice, `{ ${aliases} }`);
    expect(r.errors?.[0].message).toMatch(/alias/i);
  });
});

describe("concurrency and durability", () => {
  it("50 concurrent label mutations on one cluster: 50 labels, 50 log entries", async () => {
    const before = await snapshot();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => t.gql(alice, LABEL, { input: { clusterId: id, target: "po/web-1", set: [{ key: `k${i}`, value: `v${i}` }] } })),
    );
    for (const r of results) {
      expect(r.errors).toBeUndefined();
      expect(r.data.label.__typename).toBe("LabelPayload");
      expect(r.data.label.stdout).toBe("pod/web-1 labeled\n");
    }
    const after = await snapshot();
    const labels = after.pods.find((p: any) => p.name === "web-1").labels;
    for (let i = 0; i < 50; i++) expect(labels[`k${i}`]).toBe(`v${i}`);
    expect(labels.app).toBe("web");
    expect(after.version).toBe(before.version + 50);
    expect(after.commandLog.totalCount).toBe(before.commandLog.totalCount + 50);
    const versions = results.map((r) => r.data.label.cluster.version).sort((a: number, b: number) => a - b);
    expect(versions).toEqual(Array.from({ length: 50 }, (_, i) => before.version + 1 + i));
  });

  it("the same burst through two app instances (no shared in-process queue: the version check decides) loses nothing", async () => {
    const other = t.restart({ limits: { mutationAttempts: 100 } });
    const before = await snapshot();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.gql(alice, LABEL, { input: { clusterId: id, target: "po/web-1", set: [{ key: `m${i}`, value: "1" }] } }, i % 2 ? other : t.app),
      ),
    );
    const after = await snapshot();
    const log = await t.db.prisma.commandLog.findMany({ where: { clusterId: id }, select: { seq: true }, orderBy: { seq: "asc" } });
    expect(log.map((l) => l.seq)).toEqual(Array.from({ length: after.version - 1 }, (_, i) => i + 2)); // no gaps, no duplicates
    const labels = after.pods.find((p: any) => p.name === "web-1").labels;
    for (let i = 0; i < 20; i++) expect(labels[`m${i}`]).toBe("1");
    expect(after.version).toBe(before.version + 20);
  });

  it("30 racing app instances (30 workers' worth, each with its own queue) on one cluster: all apply via version retries", async () => {
    const before = await snapshot();
    const apps = Array.from({ length: 30 }, () => createApp({ prisma: t.db.prisma, jwtSecret: TEST_SECRET, logger: silentLogger, limits: { mutationAttempts: 200 } }));
    const rs = await Promise.all(
      apps.map((app, i) => t.gql(alice, LABEL, { input: { clusterId: id, target: "po/web-1", set: [{ key: `race${i}`, value: "1" }] } }, app)),
    );
    for (const r of rs) expect(r.data.label.__typename).toBe("LabelPayload");
    const after = await snapshot();
    expect(after.version).toBe(before.version + 30);
    const labels = after.pods.find((p: any) => p.name === "web-1").labels;
    for (let i = 0; i < 30; i++) expect(labels[`race${i}`]).toBe("1");
  });

  it("a restarted server (new app, new database client) sees everything", async () => {
    const before = await snapshot();
    const restarted = t.restart();
    const after = await snapshot(alice, restarted);
    expect(after).toEqual(before);
    const more = await t.gql(alice, `mutation($id: ID!) { advanceClock(input: { clusterId: $id, seconds: 60 }) { ... on AdvanceClockPayload { now cluster { version } } } }`, { id }, restarted);
    expect(more.data.advanceClock.cluster.version).toBe(before.version + 1);
    expect(Date.parse(more.data.advanceClock.now) - Date.parse(before.now)).toBe(60_000);
  });
});

describe("authentication", () => {
  it("no token, a bad token, a token for another audience: nothing is revealed", async () => {
    const q = `query($id: ID!) { cluster(id: $id) { id } }`;
    const none = await t.gql(null, q, { id });
    expect(none.data?.cluster ?? null).toBeNull();
    expect(none.errors?.[0].message).toMatch(/Not authenticated/);
    const bad = await t.gql("abc.def.ghi", q, { id });
    expect(bad.status).toBe(401);
    expect(bad.errors?.[0].message).toBe("invalid token");
    const wrongAud = await signToken({ secret: "kubelab-test-secret-0123456789abcdef", issuer: "kubelab", audience: "elsewhere" }, { sub: "alice", role: "student" });
    expect((await t.gql(wrongAud, q, { id })).errors?.[0].message).toBe("invalid token");
    const wrongKey = await signToken({ secret: "another-secret-another-secret-1234", issuer: "kubelab", audience: "kubelab-api" }, { sub: "alice", role: "student" });
    expect((await t.gql(wrongKey, q, { id })).status).toBe(401);
  });

  it("grades are for staff of that course only", async () => {
    const q = `{ grades(courseId: "c1", labSlug: "x") { id } }`;
    expect((await t.gql(alice, q)).errors?.[0].message).toBe("Not authorized");
    const teacher = await t.token({ sub: "teacher", role: "instructor", course: "c1" });
    expect((await t.gql(teacher, q)).data.grades).toEqual([]);
  });
});
