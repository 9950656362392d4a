// The Kubernetes API facade over HTTP (no kubectl needed): auth, Status bodies for bad input (and the cluster left
// unchanged), lists, the command log, and exact replay of facade writes by regradeAttempt.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, TEST_SECRET, type TestApp } from "./helpers/db-app.ts";
import { signClusterToken } from "../api/k8s/token.ts";
import { DEFAULT_ISSUER } from "../api/auth.ts";
import { replayAttemptLog } from "../api/grading.ts";
import type { Context } from "../api/context.ts";

const AUTH = { secret: TEST_SECRET, issuer: DEFAULT_ISSUER, audience: "" };
let t: TestApp;
let alice: string;
let id: string;
let other: string;
let kube: string;

async function gql(token: string, query: string, vars: Record<string, unknown> = {}) {
  const r = await t.gql(token, query, vars);
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return Object.values(r.data)[0] as any;
}

async function k8s(method: string, path: string, opts: { token?: string | null; body?: string; type?: string; accept?: string; cluster?: string; ua?: string } = {}) {
  const headers: Record<string, string> = {};
  const token = opts.token === undefined ? kube : opts.token;
  if (token) headers.authorization = `Bearer ${token}`;
  if (opts.type) headers["content-type"] = opts.type;
  if (opts.accept) headers.accept = opts.accept;
  if (opts.ua) headers["user-agent"] = opts.ua;
  const res = await t.app.fetch(`https://kubelab.test/k8s/clusters/${opts.cluster ?? id}${path}`, { method, headers, body: opts.body });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

const version = async (cid = id) => (await t.db.prisma.cluster.findUniqueOrThrow({ where: { id: cid } })).version;

beforeAll(async () => {
  t = await createTestApp();
  alice = await t.token({ sub: "alice", role: "student", course: "c1" });
  const create = `mutation($n: String!) { createCluster(input: { name: $n, labSlug: "clusterip-services", seed: 11 }) { ... on CreateClusterPayload { cluster { id } } ... on Error { message } } }`;
  id = (await gql(alice, create, { n: "one" })).cluster.id;
  other = (await gql(alice, create, { n: "two" })).cluster.id;
  kube = await signClusterToken(AUTH, { sub: "alice", role: "student", course: "c1", cluster: id });
});
afterAll(async () => {
  await t?.close();
});

describe("auth", () => {
  it("no token, a bad token, a GraphQL token, an expired token: 401 Unauthorized, nothing more", async () => {
    const expired = await signClusterToken(AUTH, { sub: "alice", role: "student", cluster: id }, -10);
    for (const token of [null, "garbage", alice, expired]) {
      const r = await k8s("GET", "/api/v1/namespaces/default/pods", { token });
      expect(r.status).toBe(401);
      expect(r.json).toEqual({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "Unauthorized", reason: "Unauthorized", code: 401 });
    }
  });

  it("a token for another cluster, or another student's: 403, the same body whether the cluster exists or not", async () => {
    const bob = await signClusterToken(AUTH, { sub: "bob", role: "student", cluster: id });
    const wrong = await k8s("GET", "/api/v1/namespaces/default/pods", { cluster: other });
    const foreign = await k8s("GET", "/api/v1/namespaces/default/pods", { token: bob });
    const missing = await k8s("GET", "/api/v1/namespaces/default/pods", { cluster: "00000000-0000-0000-0000-000000000000" });
    for (const r of [wrong, foreign, missing]) {
      expect(r.status).toBe(403);
      expect(r.json).toEqual(wrong.json);
      expect(r.json.reason).toBe("Forbidden");
    }
  });

  it("the kubeconfig field: this cluster's API at the origin the client used, a token that works there only", async () => {
    const res = await t.app.fetch("http://internal:8080/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${alice}`, "x-forwarded-proto": "https", "x-forwarded-host": "lab.example.edu" },
      body: JSON.stringify({ query: `query($id: ID!) { cluster(id: $id) { kubeconfig } }`, variables: { id } }),
    });
    const yaml = ((await res.json()) as any).data.cluster.kubeconfig as string;
    expect(yaml).toContain(`server: "https://lab.example.edu/k8s/clusters/${id}"`);
    const token = JSON.parse(/token: (".*")/.exec(yaml)![1]);
    expect((await k8s("GET", "/api/v1/namespaces/default/services", { token })).status).toBe(200);
    expect((await k8s("GET", "/api/v1/namespaces/default/services", { token, cluster: other })).status).toBe(403);
  });
});

describe("reads", () => {
  it("/version, discovery with verbs, short names and the all category", async () => {
    expect((await k8s("GET", "/version")).json.gitVersion).toBe("v1.19.4");
    const core = (await k8s("GET", "/api/v1")).json;
    const pods = core.resources.find((r: any) => r.name === "pods");
    expect(pods).toMatchObject({ kind: "Pod", namespaced: true, shortNames: ["po"], categories: ["all"] });
    expect(pods.verbs).toContain("watch");
    // events: the engine's records, served for reading only
    expect(core.resources.find((r: any) => r.name === "events")).toEqual({ name: "events", singularName: "", namespaced: true, kind: "Event", verbs: ["get", "list", "watch"], shortNames: ["ev"] });
    const apps = (await k8s("GET", "/apis/apps/v1")).json;
    expect(apps.resources.map((r: any) => r.name)).toEqual(["daemonsets", "deployments", "deployments/scale", "replicasets", "replicasets/scale"]);
    // EndpointSlices: discovery.k8s.io/v1beta1 as v1.19 serves it (no v1 there), written by the controller
    const groups = (await k8s("GET", "/apis")).json.groups;
    expect(groups.find((g: any) => g.name === "discovery.k8s.io")).toEqual({
      name: "discovery.k8s.io",
      versions: [{ groupVersion: "discovery.k8s.io/v1beta1", version: "v1beta1" }],
      preferredVersion: { groupVersion: "discovery.k8s.io/v1beta1", version: "v1beta1" },
    });
    expect((await k8s("GET", "/apis/discovery.k8s.io/v1beta1")).json.resources).toEqual([
      { name: "endpointslices", singularName: "", namespaced: true, kind: "EndpointSlice", verbs: ["delete", "get", "list", "watch"] },
    ]);
    expect((await k8s("GET", "/apis/discovery.k8s.io/v1")).status).toBe(404);
    const slices = (await k8s("GET", "/apis/discovery.k8s.io/v1beta1/namespaces/default/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dkubernetes")).json;
    expect(slices.items.map((s: any) => [s.metadata.name, s.addressType, s.endpoints, s.ports])).toEqual([
      ["kubernetes", "IPv4", [{ addresses: ["192.168.2.1"], conditions: { ready: true } }], [{ name: "https", port: 6443, protocol: "TCP" }]],
    ]);
    const one = await k8s("GET", "/apis/discovery.k8s.io/v1beta1/namespaces/kube-system/endpointslices");
    expect(one.json.items.map((s: any) => s.metadata.labels["kubernetes.io/service-name"])).toEqual(["kube-dns"]);
  });

  it("lists page with limit/continue and filter by label and field selectors", async () => {
    const all = (await k8s("GET", "/api/v1/namespaces/default/pods")).json.items.map((p: any) => p.metadata.name);
    expect(all.length).toBe(3);
    const first = (await k8s("GET", "/api/v1/namespaces/default/pods?limit=2")).json;
    expect(first.items.length).toBe(2);
    expect(first.metadata.remainingItemCount).toBe(1);
    const rest = (await k8s("GET", `/api/v1/namespaces/default/pods?limit=2&continue=${first.metadata.continue}`)).json;
    expect([...first.items, ...rest.items].map((p: any) => p.metadata.name)).toEqual(all);
    expect((await k8s("GET", `/api/v1/namespaces/default/pods?fieldSelector=metadata.name%3D${all[1]}`)).json.items.map((p: any) => p.metadata.name)).toEqual([all[1]]);
    expect((await k8s("GET", "/api/v1/namespaces/default/pods?labelSelector=app%3Dnope")).json.items).toEqual([]);
    const bad = await k8s("GET", "/api/v1/namespaces/default/pods?fieldSelector=spec.foo%3Dx");
    expect([bad.status, bad.json.reason, bad.json.message]).toEqual([400, "BadRequest", "field label not supported: spec.foo"]);
    const badLabel = await k8s("GET", "/api/v1/namespaces/default/pods?labelSelector=a%20in%20b");
    expect([badLabel.status, badLabel.json.reason]).toEqual([400, "BadRequest"]);
  });

  it("a list's next page starts after the last object served, whatever was deleted between the pages", async () => {
    const own = await t.token({ sub: "pager", role: "student", course: "c1" });
    const cid = (await gql(own, `mutation { createCluster(input: { name: "pages", seed: 3 }) { ... on CreateClusterPayload { cluster { id } } ... on Error { message } } }`)).cluster.id;
    const kt = await signClusterToken(AUTH, { sub: "pager", role: "student", course: "c1", cluster: cid });
    const line = (command: string) => gql(own, `mutation($id: ID!, $c: String!) { exec(input: { clusterId: $id, command: $c }) { ... on ExecPayload { exitCode } } }`, { id: cid, c: command });
    for (const n of ["a1", "a2", "a3", "a4"]) expect((await line(`kubectl run ${n} --image=ikubernetes/demoapp:v1.0`)).exitCode).toBe(0);
    const first = (await k8s("GET", "/api/v1/namespaces/default/pods?limit=2", { token: kt, cluster: cid })).json;
    expect(first.items.map((p: any) => p.metadata.name)).toEqual(["a1", "a2"]);
    expect((await line("kubectl delete pod a1 --grace-period=0 --force")).exitCode).toBe(0);
    const rest = (await k8s("GET", `/api/v1/namespaces/default/pods?limit=2&continue=${first.metadata.continue}`, { token: kt, cluster: cid })).json;
    expect(rest.items.map((p: any) => p.metadata.name)).toEqual(["a3", "a4"]);
    // every page says the first page's resourceVersion
    expect(rest.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    // across namespaces one of whose names starts another's (a, a-b), page by page, nothing is skipped
    for (const ns of ["a", "a-b"]) {
      expect((await line(`kubectl create namespace ${ns}`)).exitCode).toBe(0);
      for (const n of ["p", "q"]) expect((await line(`kubectl run ${n} -n ${ns} --image=ikubernetes/demoapp:v1.0`)).exitCode).toBe(0);
    }
    const whole = (await k8s("GET", "/api/v1/pods", { token: kt, cluster: cid })).json.items.map((x: any) => `${x.metadata.namespace}/${x.metadata.name}`);
    const paged: string[] = [];
    let cont: string | undefined;
    do {
      const pg = (await k8s("GET", `/api/v1/pods?limit=1${cont ? `&continue=${cont}` : ""}`, { token: kt, cluster: cid })).json;
      paged.push(...pg.items.map((x: any) => `${x.metadata.namespace}/${x.metadata.name}`));
      cont = pg.metadata.continue;
    } while (cont);
    expect(paged).toEqual(whole);
    expect(paged).toEqual(expect.arrayContaining(["a/p", "a/q", "a-b/p", "a-b/q"]));
  });

  it("events: a Table with printEvent's columns, get by name, watch, a 405 for a write", async () => {
    const list = (await k8s("GET", "/api/v1/namespaces/default/events")).json;
    expect(list.kind).toBe("EventList");
    expect(list.items.length).toBeGreaterThan(0);
    const table = (await k8s("GET", "/api/v1/namespaces/default/events", { accept: "application/json;as=Table;v=v1;g=meta.k8s.io" })).json;
    expect(table.columnDefinitions.map((c: any) => `${c.name}:${c.priority}`)).toEqual(["Last Seen:0", "Type:0", "Reason:0", "Object:0", "Subobject:1", "Source:1", "Message:0", "First Seen:1", "Count:1", "Name:1"]);
    expect(table.columnDefinitions[2].description).toMatch(/short, machine understandable string/);
    expect(table.rows.length).toBe(list.items.length);
    const first = list.items[0];
    expect(table.rows[0].cells.slice(1, 4)).toEqual([first.type, first.reason, `${first.involvedObject.kind.toLowerCase()}/${first.involvedObject.name}`]);
    expect(table.rows[0].cells[9]).toBe(first.metadata.name);
    const one = await k8s("GET", `/api/v1/namespaces/default/events/${first.metadata.name}`);
    expect([one.status, one.json.kind, one.json.reason, one.json.message]).toEqual([200, "Event", first.reason, first.message]);
    const missing = await k8s("GET", "/api/v1/namespaces/default/events/nope");
    expect([missing.status, missing.json.message]).toEqual([404, 'events "nope" not found']);
    const del = await k8s("DELETE", `/api/v1/namespaces/default/events/${first.metadata.name}`);
    expect(del.status).toBe(405);
    // a watch from nothing starts with every event ADDED (timeoutSeconds ends the stream)
    const w = await k8s("GET", "/api/v1/namespaces/default/events?watch=true&timeoutSeconds=1");
    const lines = w.text.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
    expect(lines.map((l) => `${l.type} ${l.object.metadata.name}`)).toEqual(list.items.map((e: any) => `ADDED ${e.metadata.name}`));
  });

  it("a pod's log is read, never run: a name or namespace that reads as a command line is a 404, and nothing changes", async () => {
    const stateBefore = (await t.db.prisma.cluster.findUniqueOrThrow({ where: { id } })).state;
    const v = await version();
    const deploys = (await k8s("GET", "/apis/apps/v1/namespaces/default/deployments")).json.items.length;
    for (const path of [
      "/api/v1/namespaces/default/pods/x%3B%20kubectl%20delete%20deploy%20--all/log",
      "/api/v1/namespaces/default%3B%20kubectl%20label%20ns%20default%20injected%3Dyes/pods/x/log",
      "/api/v1/namespaces/default/pods/x%20%26%26%20kubectl%20scale%20deploy%20--all%20--replicas%3D0/log",
    ]) {
      const r = await k8s("GET", path);
      expect(r.status, path).toBe(404);
      expect(r.json.reason).toBe("NotFound");
    }
    const again = await k8s("GET", "/api/v1/namespaces/default/pods/x%3B%20kubectl%20delete%20deploy%20--all/log");
    expect(again.json.message).toBe('pods "x; kubectl delete deploy --all" not found');
    expect((await k8s("GET", "/apis/apps/v1/namespaces/default/deployments")).json.items.length).toBe(deploys);
    expect((await k8s("GET", "/api/v1/namespaces/default")).json.metadata.labels?.injected).toBeUndefined();
    const row = await t.db.prisma.cluster.findUniqueOrThrow({ where: { id } });
    expect([row.version, row.state]).toEqual([v, stateBefore]);
  });

  it("a pod's log: its container checked, tailLines kept", async () => {
    const pod = (await k8s("GET", "/api/v1/namespaces/default/pods")).json.items[0];
    const name = pod.metadata.name;
    const container = pod.spec.containers[0].name;
    const ok = await k8s("GET", `/api/v1/namespaces/default/pods/${name}/log?container=${container}`);
    expect([ok.status, ok.text]).toEqual([200, " * Running on http://0.0.0.0:80/ (Press CTRL+C to quit)\n"]);
    expect((await k8s("GET", `/api/v1/namespaces/default/pods/${name}/log?tailLines=0`)).text).toBe("");
    const bad = await k8s("GET", `/api/v1/namespaces/default/pods/${name}/log?container=nope`);
    expect([bad.status, bad.json.reason, bad.json.message]).toEqual([400, "BadRequest", `container nope is not valid for pod ${name}`]);
  });

  it("watch=True, =1, = (empty) watch; =false and =0 list, as the apiserver reads a boolean", async () => {
    for (const [q, watching] of [["True", true], ["1", true], ["", true], ["TRUE", true], ["false", false], ["False", false], ["0", false]] as const) {
      const r = await k8s("GET", `/api/v1/namespaces/default/services?watch=${q}&timeoutSeconds=1`);
      expect(r.status, q).toBe(200);
      if (watching) expect(r.text.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l).type)[0], q).toBe("ADDED");
      else expect(r.json.kind, q).toBe("ServiceList");
    }
  });

  it("Table columns carry v1.19's definitions; a pod's log; an unsupported verb is a 405 Status", async () => {
    const table = (await k8s("GET", "/api/v1/namespaces/default/pods", { accept: "application/json;as=Table;v=v1;g=meta.k8s.io" })).json;
    expect(table.columnDefinitions[0]).toMatchObject({ name: "Name", type: "string", format: "name", priority: 0 });
    expect(table.columnDefinitions[0].description).toMatch(/^Name must be unique within a namespace/);
    expect(table.columnDefinitions.filter((c: any) => c.priority === 1).map((c: any) => c.name)).toEqual(["IP", "Node", "Nominated Node", "Readiness Gates"]);
    expect(typeof table.rows[0].cells[3]).toBe("number");
    expect(table.rows[0].object.kind).toBe("PartialObjectMetadata");
    const pod = table.rows[0].object.metadata.name;
    const log = await k8s("GET", `/api/v1/namespaces/default/pods/${pod}/log`);
    expect([log.status, log.text]).toEqual([200, " * Running on http://0.0.0.0:80/ (Press CTRL+C to quit)\n"]);
    const r = await k8s("POST", `/api/v1/namespaces/default/pods/${pod}`, { body: "{}", type: "application/json" });
    expect([r.status, r.json.reason]).toEqual([405, "MethodNotAllowed"]);
    // a collection is deleted in a namespace, not across all of them
    const dc = await k8s("DELETE", "/api/v1/pods");
    expect([dc.status, dc.json.reason]).toEqual([405, "MethodNotAllowed"]);
  });

  it("a Table read of a Service by kubectl is in the command log as a kubectl get; a pods read is not logged", async () => {
    const before = await version();
    await k8s("GET", "/api/v1/namespaces/default/pods", { accept: "application/json;as=Table;v=v1;g=meta.k8s.io", ua: "kubectl/v1.20.2 (linux/amd64) kubernetes/faecb19" });
    expect(await version()).toBe(before);
    const r = await k8s("GET", "/api/v1/namespaces/default/services/kubernetes", { accept: "application/json;as=Table;v=v1;g=meta.k8s.io", ua: "kubectl/v1.20.2 (linux/amd64) kubernetes/faecb19" });
    expect(r.json.kind).toBe("Table");
    expect(await version()).toBe(before + 1);
    const log = await t.db.prisma.commandLog.findFirstOrThrow({ where: { clusterId: id, seq: before + 1 } });
    expect(log.operation).toBe("k8sRead");
    expect(log.input).toBe("kubectl get services/kubernetes  # GET /api/v1/namespaces/default/services/kubernetes (kubectl/v1.20.2 (linux/amd64) kubernetes/faecb19)");
  });
});

describe("bad input gets the v1.19 Status and changes nothing", () => {
  const svc = (extra = "") => `{"apiVersion":"v1","kind":"Service","metadata":{"name":"web"${extra}},"spec":{"selector":{"app":"web"},"ports":[{"port":80}]}}`;
  const cases: [string, string, string, { body?: string; type?: string }, number, string, RegExp][] = [
    ["malformed JSON", "POST", "/api/v1/namespaces/default/services", { body: '{"kind": "Service",', type: "application/json" }, 400, "BadRequest", /json parse error/],
    ["malformed YAML", "POST", "/api/v1/namespaces/default/services", { body: "kind: Service\n  bad: [", type: "application/yaml" }, 400, "BadRequest", /yaml/],
    ["an invalid label", "POST", "/api/v1/namespaces/default/services", { body: svc(',"labels":{"a b":"c"}'), type: "application/json" }, 422, "Invalid", /^Service "web" is invalid: metadata.labels: Invalid value: "a b": name part must consist of/],
    ["an unknown resource", "GET", "/api/v1/namespaces/default/widgets", {}, 404, "NotFound", /^the server could not find the requested resource$/],
    ["an unsupported patch type", "PATCH", "/api/v1/namespaces/default/services/kubernetes", { body: "{}", type: "text/plain" }, 415, "UnsupportedMediaType", /unknown format/],
    ["a huge body", "POST", "/api/v1/namespaces/default/services", { body: svc(`,"annotations":{"x":"${"y".repeat(1_100_000)}"}`), type: "application/json" }, 413, "RequestEntityTooLarge", /too large/],
  ];
  for (const [what, method, path, o, code, reason, message] of cases)
    it(what, async () => {
      const before = await version();
      const r = await k8s(method, path, o);
      expect([r.status, r.json.kind, r.json.reason, r.json.code]).toEqual([code, "Status", reason, code]);
      expect(r.json.message).toMatch(message);
      expect(await version()).toBe(before);
    });

  it("an invalid label has its cause", async () => {
    const r = await k8s("POST", "/api/v1/namespaces/default/services", { body: svc(',"labels":{"a b":"c"}'), type: "application/json" });
    expect(r.json.details).toMatchObject({ name: "web", kind: "Service", causes: [{ reason: "FieldValueInvalid", field: "metadata.labels" }] });
  });

  it("a stale resourceVersion: 409 Conflict", async () => {
    const live = (await k8s("GET", "/api/v1/namespaces/default/services/kubernetes")).json;
    const before = await version();
    const stale = { ...live, metadata: { ...live.metadata, resourceVersion: "1", labels: { x: "y" } } };
    const r = await k8s("PUT", "/api/v1/namespaces/default/services/kubernetes", { body: JSON.stringify(stale), type: "application/json" });
    expect(r.status).toBe(409);
    expect(r.json).toMatchObject({ reason: "Conflict", code: 409, details: { name: "kubernetes", kind: "services" } });
    expect(r.json.message).toBe('Operation cannot be fulfilled on services "kubernetes": the object has been modified; please apply your changes to the latest version and try again');
    expect(await version()).toBe(before);
  });

  it("spec.clusterIP is immutable: 422 Invalid", async () => {
    const before = await version();
    const r = await k8s("PATCH", "/api/v1/namespaces/default/services/kubernetes", { body: '{"spec":{"clusterIP":"10.96.0.99"}}', type: "application/merge-patch+json" });
    expect([r.status, r.json.reason]).toEqual([422, "Invalid"]);
    expect(r.json.message).toMatch(/^Service "kubernetes" is invalid: spec.clusterIP: Invalid value: "10.96.0.99": field is immutable/);
    expect(await version()).toBe(before);
  });

  it("a body without kind and apiVersion (a typed client's model, a list's item) takes the URL's; another kind is refused", async () => {
    const bare = '{"metadata":{"name":"typed"},"spec":{"selector":{"app":"typed"},"ports":[{"port":80}]}}';
    const made = await k8s("POST", "/api/v1/namespaces/default/services?dryRun=All", { body: bare, type: "application/json" });
    expect([made.status, made.json.kind, made.json.apiVersion, made.json.metadata.name]).toEqual([201, "Service", "v1", "typed"]);
    const item = (await k8s("GET", "/apis/apps/v1/namespaces/default/deployments")).json.items[0];
    expect(item.kind).toBeUndefined(); // a list's items carry none
    const replaced = await k8s("PUT", `/apis/apps/v1/namespaces/default/deployments/${item.metadata.name}?dryRun=All`, { body: JSON.stringify(item), type: "application/json" });
    expect([replaced.status, replaced.json.kind, replaced.json.apiVersion]).toEqual([200, "Deployment", "apps/v1"]);
    const wrong = await k8s("POST", "/api/v1/namespaces/default/services", { body: bare.replace("{", '{"kind":"Pod",'), type: "application/json" });
    expect([wrong.status, wrong.json.message]).toEqual([400, 'the object provided is unrecognized (must be of type Service): no kind "Pod" is registered for version "" in scheme']);
  });

  it("a DELETE's preconditions: another uid or resourceVersion is a 409 and deletes nothing", async () => {
    const svcBody = '{"metadata":{"name":"precond"},"spec":{"selector":{"app":"x"},"ports":[{"port":80}]}}';
    const made = await k8s("POST", "/api/v1/namespaces/default/services", { body: svcBody, type: "application/json" });
    expect(made.status).toBe(201);
    const { uid, resourceVersion } = made.json.metadata;
    const before = await version();
    const wrongUid = await k8s("DELETE", "/api/v1/namespaces/default/services/precond", { body: JSON.stringify({ preconditions: { uid: "00000000-0000-0000-0000-000000000000" } }), type: "application/json" });
    expect([wrongUid.status, wrongUid.json.reason, wrongUid.json.message, wrongUid.json.details]).toEqual([
      409,
      "Conflict",
      `Operation cannot be fulfilled on services "precond": Precondition failed: UID in precondition: 00000000-0000-0000-0000-000000000000, UID in object meta: ${uid}`,
      { name: "precond", kind: "services" },
    ]);
    const wrongRv = await k8s("DELETE", "/api/v1/namespaces/default/services/precond", { body: JSON.stringify({ preconditions: { resourceVersion: "1" } }), type: "application/json" });
    expect([wrongRv.status, wrongRv.json.message]).toEqual([409, `Operation cannot be fulfilled on services "precond": Precondition failed: ResourceVersion in precondition: 1, ResourceVersion in object meta: ${resourceVersion}`]);
    expect(await version()).toBe(before);
    const ok = await k8s("DELETE", "/api/v1/namespaces/default/services/precond", { body: JSON.stringify({ preconditions: { uid, resourceVersion } }), type: "application/json" });
    expect(ok.status).toBe(200);
    expect((await k8s("GET", "/api/v1/namespaces/default/services/precond")).status).toBe(404);
  });

  it("?dryRun=All answers as the write would and saves nothing", async () => {
    const before = await version();
    const r = await k8s("POST", "/api/v1/namespaces/default/services?dryRun=All", { body: svc(), type: "application/json" });
    expect([r.status, r.json.kind, r.json.metadata.name]).toEqual([201, "Service", "web"]);
    expect(await version()).toBe(before);
    expect((await k8s("GET", "/api/v1/namespaces/default/services/web")).status).toBe(404);
  });
});

describe("facade writes replay exactly", () => {
  it("regradeAttempt after creates, patches of each type, a scale, deletes and a pod's awaited deletion: same grade, nothing skipped, same state", async () => {
    const svcYaml = `{"apiVersion":"v1","kind":"Service","metadata":{"name":"demoapp-svc"},"spec":{"clusterIP":"10.97.72.1","selector":{"app":"demoapp"},"ports":[{"name":"http","port":80,"targetPort":80}]}}`;
    const steps: [string, string, string?, string?][] = [
      ["POST", "/api/v1/namespaces/default/services", svcYaml, "application/json"],
      ["PATCH", "/apis/apps/v1/namespaces/default/deployments/demoapp/scale", '{"spec":{"replicas":5}}', "application/merge-patch+json"],
      ["PATCH", "/api/v1/namespaces/default/services/demoapp-svc", '{"metadata":{"labels":{"tier":"web"}}}', "application/merge-patch+json"],
      ["PATCH", "/api/v1/namespaces/default/services/demoapp-svc", '{"spec":{"ports":[{"port":80,"name":"web"}]}}', "application/strategic-merge-patch+json"],
      ["PATCH", "/apis/apps/v1/namespaces/default/deployments/demoapp", '[{"op":"replace","path":"/spec/replicas","value":2}]', "application/json-patch+json"],
      ["POST", "/api/v1/namespaces/default/services", svcYaml.replace("demoapp-svc", "extra").replace('"clusterIP":"10.97.72.1",', ""), "application/json"],
      ["DELETE", "/api/v1/namespaces/default/services/extra"],
    ];
    for (const [method, path, body, type] of steps) {
      const r = await k8s(method, path, { body, type });
      expect(r.status, `${method} ${path}: ${r.text}`).toBeLessThan(300);
    }
    const pods = (await k8s("GET", "/api/v1/namespaces/default/pods?labelSelector=app%3Ddemoapp")).json.items;
    // The three scaled away are Terminating for their grace period (graceful deletion).
    expect(pods.filter((p: { metadata: { deletionTimestamp?: string } }) => !p.metadata.deletionTimestamp).length).toBe(2);
    // A pod's DELETE with kubectl's DeleteOptions body: its grace period is the body's, and it runs out on the virtual
    // clock before the answer (kubectl waits for the pod to go); a dry run's body deletes nothing.
    const [one, two] = pods.filter((p: { metadata: { deletionTimestamp?: string } }) => !p.metadata.deletionTimestamp).map((p: { metadata: { name: string } }) => p.metadata.name);
    const clock = async () => (await gql(alice, `query($id: ID!) { cluster(id: $id) { now } }`, { id })).now as string;
    const before = Date.parse(await clock());
    const dry = await k8s("DELETE", `/api/v1/namespaces/default/pods/${two}`, { body: '{"kind":"DeleteOptions","apiVersion":"v1","dryRun":["All"]}', type: "application/json" });
    expect(dry.status, dry.text).toBe(200);
    const del = await k8s("DELETE", `/api/v1/namespaces/default/pods/${one}`, { body: '{"kind":"DeleteOptions","apiVersion":"v1","gracePeriodSeconds":5,"propagationPolicy":"Background"}', type: "application/json" });
    expect(del.status, del.text).toBe(200);
    expect((await k8s("GET", `/api/v1/namespaces/default/pods/${one}`)).status).toBe(404);
    expect((await k8s("GET", `/api/v1/namespaces/default/pods/${two}`)).status).toBe(200);
    expect(Date.parse(await clock()) - before).toBe(5000);
    expect((await k8s("DELETE", `/api/v1/namespaces/default/pods/${two}`, { body: '{"gracePeriodSeconds":-2}', type: "application/json" })).status).toBe(400);
    // a DELETE of a collection: what the selectors find, deleted together — pods' grace periods run out at once
    const before2 = Date.parse(await clock());
    const dcol = await k8s("DELETE", "/api/v1/namespaces/default/pods?labelSelector=app%3Ddemoapp", { body: '{"kind":"DeleteOptions","apiVersion":"v1","gracePeriodSeconds":3}', type: "application/json" });
    expect(dcol.status, dcol.text).toBe(200);
    expect(dcol.json.kind).toBe("PodList");
    expect(dcol.json.items.map((p: { metadata: { name: string } }) => p.metadata.name)).toContain(two);
    expect(Date.parse(await clock()) - before2).toBe(3000);
    expect((await k8s("GET", `/api/v1/namespaces/default/pods/${two}`)).status).toBe(404);
    // Services have no deletecollection in v1.19; ReplicaSets do (the Deployment then makes its ReplicaSet again)
    expect((await k8s("DELETE", "/api/v1/namespaces/default/services?labelSelector=tier%3Dweb")).status).toBe(405);
    const rs = await k8s("DELETE", "/apis/apps/v1/namespaces/default/replicasets?labelSelector=app%3Ddemoapp");
    expect(rs.status, rs.text).toBe(200);
    expect([rs.json.kind, rs.json.items.length]).toEqual(["ReplicaSetList", 1]);
    const sub = await gql(alice, `mutation($id: ID!) { submitLab(input: { clusterId: $id }) { ... on SubmitLabPayload { attempt { id } grade { score } } ... on Error { message } } }`, { id });
    const teacher = await t.token({ sub: "teacher", role: "instructor", course: "c1" });
    const rg = await gql(teacher, `mutation($a: ID!) { regradeAttempt(input: { attemptId: $a }) { ... on RegradeAttemptPayload { matches skippedOperations regrade { score } } ... on Error { message } } }`, { a: sub.attempt.id });
    expect(rg).toMatchObject({ matches: true, skippedOperations: [], regrade: { score: sub.grade.score } });
    const attempt = await t.db.prisma.labAttempt.findUniqueOrThrow({ where: { id: sub.attempt.id } });
    const ctx = { prisma: t.db.prisma, sql: t.db.sql, labs: (await import("../api/labs-catalog.ts")).catalog } as unknown as Context;
    const { engine } = await replayAttemptLog(ctx, attempt);
    const live = (await t.db.prisma.cluster.findUniqueOrThrow({ where: { id } })).state;
    expect(engine.toJSONText()).toBe(live);
  });
});
