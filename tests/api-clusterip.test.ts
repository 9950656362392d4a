// The course's ClusterIP section, done through the GraphQL API over HTTP by two students at once, each with a real
// token and their own cluster; neither can see or touch the other's.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers/db-app.ts";


const MANIFEST = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: demoapp
  namespace: default
spec:
  replicas: 3
  selector:
    matchLabels:
      app: demoapp
  template:
    metadata:
      labels:
        app: demoapp
    spec:
      containers:
      - name: demoapp
        image: ikubernetes/demoapp:v1.0
        ports:
        - containerPort: 80
---
kind: Service
apiVersion: v1
metadata:
  name: demoapp-svc
  namespace: default
spec:
  clusterIP: 10.97.72.1
  selector:
    app: demoapp
  ports:
  - name: http
    protocol: TCP
    port: 80
    targetPort: 80
`;

const CREATE = `mutation($name: String!, $seed: Int) { createCluster(input: { name: $name, seed: $seed }) {
  __typename ... on CreateClusterPayload { cluster { id name version } } ... on Error { message } } }`;
const APPLY = `mutation($id: ID!, $yaml: String!) { applyManifest(input: { clusterId: $id, yaml: $yaml }) {
  __typename ... on ApplyManifestPayload { stdout exitCode results { kind name action error { message } } cluster { version } }
  ... on Error { message } } }`;
const VIEW = `query($id: ID!) { cluster(id: $id) { id version
  pods(selector: "app=demoapp") { name ip node ready labels object }
  services { name type clusterIP ports { port targetPort protocol } }
  endpoints(selector: "") { name addresses { ip pod } notReadyAddresses { ip } }
  deployments { name replicas readyReplicas } } }`;
const SCALE = `mutation($id: ID!) { scale(input: { clusterId: $id, deployment: "demoapp", replicas: 2 }) {
  __typename ... on ScalePayload { stdout } ... on Error { message } } }`;
const CURL = `mutation($id: ID!) { sendRequests(input: { clusterId: $id, from: "node/node01", url: "http://10.97.72.1", count: 30 }) {
  __typename ... on SendRequestsPayload { responses { status body servedBy { kind name ip } clientIP trace { at rule } }
    distribution { backend name count } } ... on Error { message } } }`;
const EXEC = `mutation($id: ID!, $cmd: String!) { exec(input: { clusterId: $id, command: $cmd }) {
  __typename ... on ExecPayload { stdout stderr exitCode } ... on Error { message } } }`;

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

async function doSection(token: string, name: string, seed: number) {
  const created = await t.gql(token, CREATE, { name, seed });
  expect(created.errors).toBeUndefined();
  expect(created.data.createCluster.__typename).toBe("CreateClusterPayload");
  const id: string = created.data.createCluster.cluster.id;

  const applied = await t.gql(token, APPLY, { id, yaml: MANIFEST });
  expect(applied.errors).toBeUndefined();
  const ap = applied.data.applyManifest;
  expect(ap.__typename).toBe("ApplyManifestPayload");
  expect(ap.results.map((r: any) => [r.kind, r.name, r.action, r.error])).toEqual([
    ["Deployment", "demoapp", "created", null],
    ["Service", "demoapp-svc", "created", null],
  ]);
  expect(ap.stdout).toContain("service/demoapp-svc created");
  expect(ap.exitCode).toBe(0);

  // kubectl get svc/demoapp-svc, through the terminal (its output is checked once the engine's shell is in)
  const get = await t.gql(token, EXEC, { id, cmd: "kubectl get svc/demoapp-svc" });
  expect(get.data.exec.__typename).toBe("ExecPayload");
  expect(get.data.exec.exitCode).toBe(0);
  expect(get.data.exec.stdout).toMatch(/demoapp-svc\s+ClusterIP\s+10\.97\.72\.1\s+<none>\s+80\/TCP/);

  const v1 = (await t.gql(token, VIEW, { id })).data.cluster;
  expect(v1.services.find((s: any) => s.name === "demoapp-svc")).toMatchObject({ type: "ClusterIP", clusterIP: "10.97.72.1", ports: [{ port: 80, targetPort: "80", protocol: "TCP" }] });
  expect(v1.pods).toHaveLength(3);
  const podIPs = v1.pods.map((p: any) => p.ip).sort();
  const ep = v1.endpoints.find((e: any) => e.name === "demoapp-svc");
  // the endpoints are exactly the pods the selector picks
  expect(ep.addresses.map((a: any) => a.ip).sort()).toEqual(podIPs);
  expect(ep.addresses.map((a: any) => a.pod).sort()).toEqual(v1.pods.map((p: any) => p.name).sort());

  // scale to 2: the endpoints follow
  expect((await t.gql(token, SCALE, { id })).data.scale.stdout).toBe("deployment.apps/demoapp scaled\n");
  const v2all = (await t.gql(token, VIEW, { id })).data.cluster;
  // The removed pod stays listed, Terminating, for its 30 s grace period; the Endpoints dropped it at once.
  expect(v2all.pods).toHaveLength(3);
  expect(v2all.pods.filter((p: any) => p.object.metadata.deletionTimestamp)).toHaveLength(1);
  const v2 = { ...v2all, pods: v2all.pods.filter((p: any) => !p.object.metadata.deletionTimestamp) };
  expect(v2.pods).toHaveLength(2);
  const ep2 = v2.endpoints.find((e: any) => e.name === "demoapp-svc");
  expect(ep2.addresses.map((a: any) => a.ip).sort()).toEqual(v2.pods.map((p: any) => p.ip).sort());

  // kubectl describe svc/demoapp-svc lists the two endpoints; curl from node01 reaches one of the pods
  const d = (await t.gql(token, EXEC, { id, cmd: "kubectl describe svc/demoapp-svc" })).data.exec;
  expect(d.exitCode).toBe(0);
  const listed = /Endpoints:\s+(\S+)/.exec(d.stdout)![1].split(",").sort();
  expect(listed).toEqual(v2.pods.map((p: any) => `${p.ip}:80`).sort());
  const curl1 = await t.gql(token, `mutation($id: ID!) { exec(input: { clusterId: $id, command: "curl 10.97.72.1", host: "node01" }) { ... on ExecPayload { stdout exitCode } } }`, { id });
  expect(curl1.data.exec.exitCode).toBe(0);
  expect(curl1.data.exec.stdout).toMatch(/^iKubernetes demoapp v1\.0 !! ClientIP: [\d.]+, ServerName: demoapp-[a-z0-9]+-[a-z0-9]{5}, ServerIP: [\d.]+!/);

  // curl 10.97.72.1 from node01, 30 times: answered by the two pods, spread between them
  const curl = (await t.gql(token, CURL, { id })).data.sendRequests;
  expect(curl.__typename).toBe("SendRequestsPayload");
  expect(curl.responses).toHaveLength(30);
  for (const r of curl.responses) {
    expect(r.status).toBe(200);
    expect(r.body).toContain("iKubernetes demoapp v1.0");
    expect(r.servedBy.kind).toBe("pod");
    expect(r.trace.length).toBeGreaterThan(0);
  }
  const served = new Set(curl.responses.map((r: any) => r.servedBy.name));
  expect([...served].sort()).toEqual(v2.pods.map((p: any) => p.name).sort());
  expect(curl.distribution.reduce((n: number, d: any) => n + d.count, 0)).toBe(30);
  expect(curl.distribution).toHaveLength(2);
  return { id, pods: v2.pods.map((p: any) => p.name) as string[] };
}

describe("two students do the ClusterIP section at once", () => {
  it("each gets their own cluster, and only sees and changes their own", async () => {
    const alice = await t.token({ sub: "alice", role: "student", course: "c1" });
    const bob = await t.token({ sub: "bob", role: "student", course: "c1" });
    const [a, b] = await Promise.all([doSection(alice, "services", 11), doSection(bob, "services", 22)]);
    expect(a.id).not.toBe(b.id);

    const mineA = await t.gql(alice, `{ myClusters { id } me { id role course } }`);
    expect(mineA.data.myClusters.map((c: any) => c.id)).toEqual([a.id]);
    expect(mineA.data.me).toEqual({ id: "alice", role: "student", course: "c1" });
    const mineB = await t.gql(bob, `{ myClusters { id } }`);
    expect(mineB.data.myClusters.map((c: any) => c.id)).toEqual([b.id]);

    // bob reads alice's cluster: null, exactly like an id that does not exist
    const foreign = await t.gql(bob, `query($id: ID!) { cluster(id: $id) { id } }`, { id: a.id });
    const missing = await t.gql(bob, `query($id: ID!) { cluster(id: $id) { id } }`, { id: "00000000-0000-4000-8000-000000000000" });
    expect(foreign).toEqual({ ...missing });
    expect(foreign.data.cluster).toBeNull();

    // the command log tells each what they did, in order
    const log = await t.gql(alice, `query($id: ID!) { cluster(id: $id) { commandLog(first: 10) { totalCount edges { node { seq operation actor exitCode } } } } }`, { id: a.id });
    const entries = log.data.cluster.commandLog.edges.map((e: any) => e.node);
    const ops = ["applyManifest", "exec", "scale", "exec", "exec", "sendRequests"];
    expect(entries.map((e: any) => e.operation)).toEqual(ops);
    expect(entries.map((e: any) => e.seq)).toEqual(ops.map((_, i) => i + 2));
    expect(entries.every((e: any) => e.actor === "alice")).toBe(true);
  });

  it("an instructor of the course reads a student's cluster; an instructor of another course does not", async () => {
    const alice = await t.token({ sub: "alice", role: "student", course: "c1" });
    const id = (await t.gql(alice, `{ myClusters { id } }`)).data.myClusters[0].id;
    const teacher = await t.token({ sub: "teacher", role: "instructor", course: "c1" });
    const other = await t.token({ sub: "other", role: "instructor", course: "c2" });
    expect((await t.gql(teacher, `query($id: ID!) { cluster(id: $id) { id owner } }`, { id })).data.cluster).toEqual({ id, owner: "alice" });
    expect((await t.gql(other, `query($id: ID!) { cluster(id: $id) { id } }`, { id })).data.cluster).toBeNull();
    // reading is not writing: the instructor's mutation finds nothing
    const m = await t.gql(teacher, EXEC, { id, cmd: "kubectl get pods" });
    expect(m.data.exec.__typename).toBe("NotFoundError");
  });
});
