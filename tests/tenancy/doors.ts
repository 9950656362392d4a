// Every way into a cluster, an attempt or a course ("doors"), for the tenancy table (tests/api-tenancy.test.ts).
//
// A door is ONE entry here: what it takes (a cluster, an attempt or a course), which rule decides who gets through
// (tests/tenancy/rules.ts), and `call`: go through it as `token` with id `id` and say what the client saw.
// `call` returns:
//   - { ok: true } when the door let the caller through (the payload, a row, a stream's first event), and
//   - { ok: false, seen } otherwise, where `seen` is the whole answer as the client sees it (status, body) with the
//     id written as <id>: the table checks that a refusal is the same `seen` as the same call with an id that does
//     not exist, so a refused read tells nothing about what exists.
// `fresh: true` for a door that uses up its target (deleteCluster, resetCluster): each allowed row gets its own
// cluster, made for the same owner in the same course.
//
// Adding a door (a new API, a new page's data): write its `call` with the helpers below (gql, sse, the socket's
// overSocket, or a plain fetch for REST as the k8s doors do), pick its rule, push it onto DOORS. Nothing else
// changes: the table crosses it with every principal and every target of its kind. A GraphQL door (in
// clusterDoors, attemptDoors or courseDoors, calling `t.gql`) is asked over the web lab's socket as well, by itself
// (socketDoors, below).
import { TEST_SECRET, type TestApp } from "../helpers/db-app.ts";
import type { RuleName } from "./rules.ts";
import { DEFAULT_AUDIENCE, DEFAULT_ISSUER, signToken, type Principal } from "../../api/auth.ts";
import { signClusterToken } from "../../api/k8s/token.ts";
import { overSocket, viaSocket, type Frame } from "./socket.ts";

export type Takes = "cluster" | "attempt" | "course";
export type Seen = { ok: true } | { ok: false; seen: string };

export interface Door {
  name: string;
  takes: Takes;
  rule: RuleName;
  fresh?: boolean;
  call(t: TestApp, token: string, id: string): Promise<Seen>;
}

/** The lab every target cluster is made from (the course/attempt doors need one with checkpoints). */
export const LAB = "clusterip-services";

function refusal(id: string, answer: unknown): Seen {
  return { ok: false, seen: JSON.stringify(answer).split(id).join("<id>") };
}

/** A GraphQL door: `pick` finds the answer's value; `passed` says whether that value means "let through". */
function gql(query: string, vars: (id: string) => Record<string, unknown>, passed: (data: any, id: string) => boolean) {
  return async (t: TestApp, token: string, id: string): Promise<Seen> => {
    const r = await t.gql(token, query, vars(id));
    if (!r.errors && r.data && passed(r.data, id)) return { ok: true };
    return refusal(id, r);
  };
}

/** A mutation that returns `Payload | Error`: through when the payload came back. */
function mutation(field: string, payload: string, input: string, vars: (id: string) => Record<string, unknown> = (id) => ({ id })) {
  const query = `mutation($id: ID!) { ${field}(input: ${input}) { __typename ... on Error { message } } }`;
  return gql(query, vars, (d) => d[field]?.__typename === payload);
}

/** A subscription over SSE: through when the first event carries the cluster. */
async function sseFirst(t: TestApp, token: string, query: string, id: string): Promise<Seen> {
  const ac = new AbortController();
  const res = await t.app.fetch("http://kubelab.test/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables: { id } }),
    signal: ac.signal,
  });
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let buf = "";
  try {
    for (;;) {
      const i = buf.indexOf("\n\n");
      if (i >= 0) {
        const data = buf.slice(0, i).split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trim()).join("\n");
        buf = buf.slice(i + 2);
        if (!data) continue;
        const ev = JSON.parse(data);
        if (!ev.errors && ev.data?.clusterChanged?.id === id) return { ok: true };
        return refusal(id, { status: res.status, ev });
      }
      const { value, done } = await reader.read();
      if (done) return refusal(id, { status: res.status, ended: buf });
      buf += dec.decode(value, { stream: true });
    }
  } finally {
    ac.abort();
    await reader.cancel().catch(() => {});
  }
}

/** The Relay global id of a command-log entry (CommandLogEntry: JSON [clusterId, seq]); seq 2: the first mutation. */
export function logEntryId(clusterId: string, seq = 2): string {
  return Buffer.from(`CommandLogEntry:${JSON.stringify([clusterId, String(seq)])}`).toString("base64");
}

/** The clusterChanged door over SSE: the one GraphQL door that does not go through `t.gql`. */
const SSE = "subscription clusterChanged(id)";

const clusterDoors: Door[] = [
  {
    name: "query cluster(id)",
    takes: "cluster",
    rule: "readCluster",
    call: gql(`query($id: ID!) { cluster(id: $id) { id version commandLog(last: 1) { totalCount } } }`, (id) => ({ id }), (d, id) => d.cluster?.id === id),
  },
  {
    name: "query cluster(id) { openAttempt grade }",
    takes: "cluster",
    rule: "readCluster",
    call: gql(`query($id: ID!) { cluster(id: $id) { id grade { score } openAttempt { id } } }`, (id) => ({ id }), (d, id) => d.cluster?.id === id),
  },
  {
    name: "query node(id) of a command-log entry",
    takes: "cluster",
    rule: "readCluster",
    call: gql(`query($id: ID!) { node(id: $id) { id ... on CommandLogEntry { input } } }`, (id) => ({ id: logEntryId(id) }), (d) => d.node?.id != null),
  },
  {
    name: SSE,
    takes: "cluster",
    rule: "readCluster",
    call: (t, token, id) => sseFirst(t, token, `subscription($id: ID!) { clusterChanged(id: $id) { id version } }`, id),
  },
  {
    name: "query nodes(ids) of a command-log entry",
    takes: "cluster",
    rule: "readCluster",
    call: gql(`query($ids: [ID!]!) { nodes(ids: $ids) { id ... on CommandLogEntry { input } } }`, (id) => ({ ids: [logEntryId(id)] }), (d) => d.nodes?.[0]?.id != null),
  },
  {
    name: "query myClusters (own list)",
    takes: "cluster",
    rule: "ownCluster",
    call: gql(`query { myClusters { id } }`, () => ({}), (d, id) => d.myClusters?.some((c: { id: string }) => c.id === id)),
  },
  { name: "mutation exec", takes: "cluster", rule: "writeCluster", call: mutation("exec", "ExecPayload", `{ clusterId: $id, command: "kubectl get nodes" }`) },
  {
    name: "mutation applyManifest",
    takes: "cluster",
    rule: "writeCluster",
    call: mutation("applyManifest", "ApplyManifestPayload", `{ clusterId: $id, yaml: "apiVersion: v1\\nkind: Namespace\\nmetadata:\\n  name: tenancy\\n" }`),
  },
  {
    name: "mutation deleteResource",
    takes: "cluster",
    rule: "writeCluster",
    // through the door: the engine answers that the pod does not exist
    call: gql(
      `mutation($id: ID!) { deleteResource(input: { clusterId: $id, kind: "pod", name: "none" }) { __typename ... on Error { message } } }`,
      (id) => ({ id }),
      (d) => d.deleteResource?.message === `pods "none" not found`,
    ),
  },
  { name: "mutation label", takes: "cluster", rule: "writeCluster", call: mutation("label", "LabelPayload", `{ clusterId: $id, target: "node/node01", set: [{ key: "tenancy", value: "1" }], overwrite: true }`) },
  { name: "mutation scale", takes: "cluster", rule: "writeCluster", call: mutation("scale", "ScalePayload", `{ clusterId: $id, deployment: "demoapp", replicas: 3 }`) },
  { name: "mutation sendRequests", takes: "cluster", rule: "writeCluster", call: mutation("sendRequests", "SendRequestsPayload", `{ clusterId: $id, from: "node/node01", url: "http://10.96.0.1" }`) },
  { name: "mutation advanceClock", takes: "cluster", rule: "writeCluster", call: mutation("advanceClock", "AdvanceClockPayload", `{ clusterId: $id, seconds: 1 }`) },
  { name: "mutation resetCluster", takes: "cluster", rule: "writeCluster", fresh: true, call: mutation("resetCluster", "ResetClusterPayload", `{ clusterId: $id }`) },
  { name: "mutation deleteCluster", takes: "cluster", rule: "writeCluster", fresh: true, call: mutation("deleteCluster", "DeleteClusterPayload", `{ clusterId: $id }`) },
  { name: "mutation checkProgress", takes: "cluster", rule: "writeCluster", call: mutation("checkProgress", "CheckProgressPayload", `{ clusterId: $id }`) },
  { name: "mutation revealHint", takes: "cluster", rule: "writeCluster", call: mutation("revealHint", "RevealHintPayload", `{ clusterId: $id, checkpointId: "service-created" }`) },
  { name: "mutation submitLab", takes: "cluster", rule: "writeCluster", fresh: true, call: mutation("submitLab", "SubmitLabPayload", `{ clusterId: $id }`) },
  {
    name: "query cluster(id) { picture }",
    takes: "cluster",
    rule: "readCluster",
    call: gql(
      `query($id: ID!) { cluster(id: $id) { id picture { version now nodes { __typename } pods { __typename } services { __typename } endpoints { __typename } lastRequest { seq } } } }`,
      (id) => ({ id }),
      (d, id) => d.cluster?.id === id && d.cluster.picture?.version > 0 && d.cluster.picture.nodes.length > 0,
    ),
  },
  {
    name: "query cluster(id) { completions(line, host) }",
    takes: "cluster",
    rule: "readCluster",
    call: gql(
      `query($id: ID!) { cluster(id: $id) { id completions(line: "kubectl get po", host: "master01") { start candidates } } }`,
      (id) => ({ id }),
      (d, id) => d.cluster?.id === id && Array.isArray(d.cluster.completions?.candidates),
    ),
  },
  {
    name: "query cluster(id) { kubeconfig }",
    takes: "cluster",
    rule: "readCluster",
    // through: a kubeconfig for this cluster whose token is the caller's own (never the owner's), for this cluster only
    call: async (t, token, id) => {
      const r = await t.gql(token, `query($id: ID!) { cluster(id: $id) { id kubeconfig } }`, { id });
      const yaml: unknown = r.data?.cluster?.kubeconfig;
      if (r.errors || typeof yaml !== "string") return refusal(id, r);
      const issued = claims(JSON.parse(/token: (".*")/.exec(yaml)![1]));
      const caller = claims(token);
      const right = yaml.includes(`/k8s/clusters/${id}"`) && issued.sub === caller.sub && issued.role === caller.role && issued.cluster === id && issued.course === caller.course;
      return right ? { ok: true } : { ok: false, seen: `a kubeconfig, but its token is ${JSON.stringify(issued)} for ${JSON.stringify(caller)}` };
    },
  },
  {
    name: "query cluster(id) with a cluster (k8s) token",
    takes: "cluster",
    rule: "nobody",
    call: async (t, token, id) => gql(`query($id: ID!) { cluster(id: $id) { id } }`, () => ({ id }), (d) => d.cluster?.id === id)(t, await clusterToken(token, id), id),
  },
];

const attemptDoors: Door[] = [
  {
    name: "query attempt(id) { transcript picture }",
    takes: "attempt",
    rule: "readAttempt",
    call: gql(
      `query($id: ID!) { attempt(id: $id) { id transcript { input } picture { version pods { __typename } } } }`,
      (id) => ({ id }),
      (d, id) => d.attempt?.id === id && d.attempt.transcript?.length > 0 && d.attempt.picture?.version > 0,
    ),
  },
  {
    name: "query attempts (own list)",
    takes: "attempt",
    rule: "ownAttempt",
    call: gql(`query { attempts(labSlug: "${LAB}") { id } }`, () => ({}), (d, id) => d.attempts?.some((a: { id: string }) => a.id === id)),
  },
  { name: "mutation regradeAttempt", takes: "attempt", rule: "staffOfCourse", call: mutation("regradeAttempt", "RegradeAttemptPayload", `{ attemptId: $id }`) },
  { name: "mutation regradeAttempt(record: true)", takes: "attempt", rule: "staffOfCourse", call: mutation("regradeAttempt", "RegradeAttemptPayload", `{ attemptId: $id, record: true }`) },
];

const courseArgs = (id: string) => ({ c: id, s: LAB });
const courseDoors: Door[] = [
  {
    name: "query grades(courseId)",
    takes: "course",
    rule: "staffOfCourse",
    call: gql(`query($c: String!, $s: String!) { grades(courseId: $c, labSlug: $s) { id } }`, courseArgs, (d) => d.grades?.length > 0),
  },
  {
    name: "query courseReport(courseId)",
    takes: "course",
    rule: "staffOfCourse",
    call: gql(
      `query($c: String!) { courseReport(courseId: $c) { courseId labSlug started submitted scores medianScore } }`,
      (id) => ({ c: id }),
      (d) => d.courseReport?.some((r: { labSlug: string; scores: number[] }) => r.labSlug === LAB && r.scores.length > 0),
    ),
  },
  {
    name: "query labReport(courseId) { scores medianScore medianSecondsToSubmit checkpoints }",
    takes: "course",
    rule: "staffOfCourse",
    call: gql(
      `query($c: String!, $s: String!) { labReport(courseId: $c, labSlug: $s) { started submitted scores medianScore medianSecondsToSubmit checkpoints { passed students } } }`,
      courseArgs,
      (d) => d.labReport?.scores?.length > 0 && d.labReport.submitted > 0,
    ),
  },
  {
    name: "query labReport(courseId)",
    takes: "course",
    rule: "staffOfCourse",
    call: gql(`query($c: String!, $s: String!) { labReport(courseId: $c, labSlug: $s) { courseId students(first: 5) { totalCount } } }`, courseArgs, (d) => d.labReport?.students?.totalCount > 0),
  },
  ...(["CSV", "GRADESCOPE", "JUNIT", "LTI"] as const).map<Door>((f) => ({
    name: `query gradeExport(courseId, ${f})`,
    takes: "course",
    rule: "staffOfCourse",
    call: gql(`query($c: String!, $s: String!) { gradeExport(courseId: $c, labSlug: $s, format: ${f}) { rows text } }`, courseArgs, (d) => d.gradeExport?.rows > 0),
  })),
  {
    name: "mutation regradeLab(courseId)",
    takes: "course",
    rule: "staffOfCourse",
    call: gql(
      `mutation($c: String!, $s: String!) { regradeLab(input: { courseId: $c, labSlug: $s }) { __typename ... on RegradeLabPayload { attempts { attemptId } } ... on Error { message } } }`,
      courseArgs,
      (d) => d.regradeLab?.attempts?.length > 0,
    ),
  },
];


// (first in DOORS: the "another of its clusters" rows make a cluster per user before the `fresh` doors near the
// 20-cluster limit)
// ---- The Kubernetes API facade (/k8s/clusters/<id>/…, api/k8s/): tokens are cluster-scoped (api/k8s/token.ts). ----

/** A JWT's claims, read without checking (the test made it). */
function claims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString());
}

/** The principal a GraphQL token of the table names. */
function principalOf(token: string): Principal {
  const c = claims(token);
  return { sub: c.sub as string, role: c.role as Principal["role"], ...(typeof c.course === "string" ? { course: c.course } : {}) };
}

/** The cluster token `Cluster.kubeconfig` hands this principal for cluster `cluster` (what a kubeconfig holds). */
function clusterToken(token: string, cluster: string): Promise<string> {
  return signClusterToken({ secret: TEST_SECRET, issuer: DEFAULT_ISSUER, audience: "" }, { ...principalOf(token), cluster });
}

/** Another cluster of the same user (one per user, made on first use): its token must not open this one. */
const others = new Map<string, Promise<string>>();
function otherCluster(t: TestApp, token: string): Promise<string> {
  const { sub } = principalOf(token);
  let id = others.get(sub);
  if (!id) {
    id = t
      .token({ sub, role: "student" })
      .then((own) => t.gql(own, `mutation { createCluster(input: { name: "tenancy-other", labSlug: "${LAB}", seed: 3 }) { ... on CreateClusterPayload { cluster { id } } ... on Error { message } } }`))
      .then((r) => {
        const made = r.data?.createCluster?.cluster?.id;
        if (typeof made !== "string") throw new Error(`could not make another cluster: ${JSON.stringify(r)}`);
        return made;
      });
    others.set(sub, id);
  }
  return id;
}

type K8sToken = "its cluster token" | "a token for another of its clusters" | "its GraphQL token" | "no token";
const K8S_TOKENS: { how: K8sToken; read: RuleName; write: RuleName; bearer(t: TestApp, token: string, id: string): Promise<string | null> }[] = [
  { how: "its cluster token", read: "readCluster", write: "writeCluster", bearer: (_t, token, id) => clusterToken(token, id) },
  { how: "a token for another of its clusters", read: "nobody", write: "nobody", bearer: async (t, token) => clusterToken(token, await otherCluster(t, token)) },
  { how: "its GraphQL token", read: "nobody", write: "nobody", bearer: async (_t, token) => token },
  { how: "no token", read: "nobody", write: "nobody", bearer: async () => null },
];

async function k8s(t: TestApp, bearer: string | null, id: string, method: string, path: string, body?: string, contentType = "application/merge-patch+json", headers: Record<string, string> = {}) {
  const res = await t.app.fetch(`https://kubelab.test/k8s/clusters/${id}${path}`, {
    method,
    headers: { ...headers, ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...(body ? { "content-type": contentType } : {}) },
    body,
  });
  return { status: res.status, body: await res.text() };
}

const version = async (t: TestApp, id: string) => (await t.db.prisma.cluster.findUnique({ where: { id }, select: { version: true } }))?.version ?? null;

function k8sDoors(): Door[] {
  return K8S_TOKENS.flatMap<Door>(({ how, read, write, bearer }) => [
    {
      name: `k8s GET pods, ${how}`,
      takes: "cluster",
      rule: read,
      call: async (t, token, id) => {
        const r = await k8s(t, await bearer(t, token, id), id, "GET", "/api/v1/namespaces/default/pods");
        return r.status === 200 && JSON.parse(r.body).kind === "PodList" ? { ok: true } : refusal(id, r);
      },
    },
    {
      name: `k8s PATCH a node's label, ${how}`,
      takes: "cluster",
      rule: write,
      // a refused write leaves the cluster's version as it was
      call: async (t, token, id) => {
        const before = await version(t, id);
        const r = await k8s(t, await bearer(t, token, id), id, "PATCH", "/api/v1/nodes/node01", `{"metadata":{"labels":{"tenancy":"${Date.now()}"}}}`);
        if (r.status === 200 && JSON.parse(r.body).metadata?.labels?.tenancy) return { ok: true };
        const after = await version(t, id);
        return after === before ? refusal(id, r) : { ok: false, seen: `refused (${r.status}) but the version went ${before} → ${after}` };
      },
    },
  ]);
}

/** A write through the facade: through when `passed`; a refusal must leave the cluster's version as it was. */
function k8sWrite(method: string, path: string, body: string | undefined, passed: (r: { status: number; body: string }) => boolean, contentType?: string) {
  return async (t: TestApp, token: string, id: string): Promise<Seen> => {
    const before = await version(t, id);
    const r = await k8s(t, await clusterToken(token, id), id, method, path, body, contentType);
    if (passed(r)) return { ok: true };
    const after = await version(t, id);
    return after === before ? refusal(id, r) : { ok: false, seen: `refused (${r.status}) but the version went ${before} → ${after}` };
  };
}

/** A read through the facade. */
function k8sRead(path: string, passed: (r: { status: number; body: string }) => boolean, headers: Record<string, string> = {}) {
  return async (t: TestApp, token: string, id: string): Promise<Seen> => {
    const r = await k8s(t, await clusterToken(token, id), id, "GET", path, undefined, undefined, headers);
    return passed(r) ? { ok: true } : refusal(id, r);
  };
}

const kindIs = (kind: string, status = 200) => (r: { status: number; body: string }) => r.status === status && JSON.parse(r.body).kind === kind;

/** `?watch=1`: through when the stream opens (200) and its first event is a pod; the stream is then closed. */
async function k8sWatchFirst(t: TestApp, token: string, id: string): Promise<Seen> {
  const ac = new AbortController();
  const res = await t.app.fetch(`https://kubelab.test/k8s/clusters/${id}/api/v1/namespaces/default/pods?watch=1&timeoutSeconds=10`, {
    headers: { authorization: `Bearer ${await clusterToken(token, id)}` },
    signal: ac.signal,
  });
  try {
    if (res.status !== 200) return refusal(id, { status: res.status, body: await res.text() });
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    let buf = "";
    // (the stream opens with a bare newline, as the headers go out; the events follow, one JSON object a line)
    const firstLine = () => buf.split("\n").slice(0, -1).find((l) => l.trim() !== "");
    while (firstLine() === undefined) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += dec.decode(value, { stream: true });
    }
    await reader.cancel().catch(() => {});
    const line = firstLine();
    const first = line === undefined ? null : JSON.parse(line);
    return first?.type === "ADDED" && first.object?.kind === "Pod" ? { ok: true } : refusal(id, { status: res.status, first });
  } finally {
    ac.abort();
  }
}

// The facade's other routes, each asked with the principal's own cluster token for the target (what its kubeconfig
// holds): the token checks come first for every route (api/k8s/handler.ts), and the four kinds of token are crossed
// with the two doors above.
const k8sRoutes: Door[] = [
  { name: "k8s GET one object (node node01)", takes: "cluster", rule: "readCluster", call: k8sRead("/api/v1/nodes/node01", kindIs("Node")) },
  {
    name: "k8s GET pods as a Table (kubectl get)",
    takes: "cluster",
    rule: "readCluster",
    call: k8sRead("/api/v1/namespaces/default/pods", kindIs("Table"), { accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json" }),
  },
  { name: "k8s GET events", takes: "cluster", rule: "readCluster", call: k8sRead("/api/v1/namespaces/default/events", kindIs("EventList")) },
  { name: "k8s watch pods (?watch=1)", takes: "cluster", rule: "readCluster", call: k8sWatchFirst },
  {
    name: "k8s GET a pod's log",
    takes: "cluster",
    rule: "readCluster",
    // a real pod's name, listed with the owner's own token (a missing cluster: a name that exists nowhere), then the
    // log asked for with the caller's
    call: async (t, token, id) => {
      const row = await t.db.prisma.cluster.findUnique({ where: { id }, select: { ownerId: true, courseId: true } });
      let pod = "none";
      if (row) {
        const owner = await t.token({ sub: row.ownerId, role: "student", ...(row.courseId ? { course: row.courseId } : {}) });
        const list = await k8s(t, await clusterToken(owner, id), id, "GET", "/api/v1/namespaces/default/pods");
        if (list.status === 200) pod = JSON.parse(list.body).items[0].metadata.name as string;
      }
      const r = await k8s(t, await clusterToken(token, id), id, "GET", `/api/v1/namespaces/default/pods/${pod}/log`);
      return r.status === 200 ? { ok: true } : refusal(id, r);
    },
  },
  {
    name: "k8s POST a namespace (create)",
    takes: "cluster",
    rule: "writeCluster",
    call: async (t, token, id) =>
      k8sWrite("POST", "/api/v1/namespaces", JSON.stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: `tenancy-${++created}` } }), kindIs("Namespace", 201), "application/json")(t, token, id),
  },
  {
    name: "k8s PUT namespace default (update)",
    takes: "cluster",
    rule: "writeCluster",
    call: k8sWrite("PUT", "/api/v1/namespaces/default", JSON.stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default", labels: { tenancy: "put" } } }), kindIs("Namespace"), "application/json"),
  },
  {
    name: "k8s PATCH deployment demoapp's scale",
    takes: "cluster",
    rule: "writeCluster",
    call: k8sWrite("PATCH", "/apis/apps/v1/namespaces/default/deployments/demoapp/scale", `{"spec":{"replicas":2}}`, kindIs("Scale")),
  },
  {
    name: "k8s PATCH a node's label with ?dryRun=All",
    takes: "cluster",
    rule: "writeCluster",
    call: k8sWrite("PATCH", "/api/v1/nodes/node01?dryRun=All", `{"metadata":{"labels":{"tenancy":"dry"}}}`, kindIs("Node")),
  },
  {
    name: "k8s DELETE a pod",
    takes: "cluster",
    rule: "writeCluster",
    // through the door: the cluster answers that the pod does not exist (refusals are 403)
    call: k8sWrite("DELETE", "/api/v1/namespaces/default/pods/none", undefined, (r) => r.status === 404 && r.body.includes(`pods \\"none\\" not found`)),
  },
  {
    name: "k8s discovery (/api, /apis, /openapi/v2) reveals nothing",
    takes: "cluster",
    rule: "nobody",
    // not cluster data: the same answers whatever the cluster, so the row checks they equal those for a missing id
    call: async (t, token, id) => {
      const bearer = await clusterToken(token, id);
      const seen = [];
      for (const path of ["/api", "/apis", "/openapi/v2"]) {
        const r = await k8s(t, bearer, id, "GET", path);
        seen.push({ path, status: r.status, length: r.body.length, head: r.body.slice(0, 2000) });
      }
      return refusal(id, seen);
    },
  },
];
let created = 0;

// ---- GraphQL over the web lab's WebSocket (/graphql, graphql-ws: api/socket.ts, api/node/socket.ts) ----
//
// Any operation may go over it (the terminal sends its lines so), with the token in the connection's parameters,
// each operation authenticated and given its context as a request is. So every GraphQL door above is asked over the
// socket too (its `t.gql` replaced by the socket's: a refusal must be the same frames as for a missing id), the
// subscription's first event comes over it as over SSE, and the socket's own token handling is crossed with a query,
// a write and the subscription: an expired token, one signed with another secret, a cluster (k8s) token, none.

const AUTH = { secret: TEST_SECRET, issuer: DEFAULT_ISSUER, audience: DEFAULT_AUDIENCE };
const CLUSTER_CHANGED = `subscription($id: ID!) { clusterChanged(id: $id) { id version } }`;

/** The first frame of clusterChanged over the socket: through when it is a `next` carrying the cluster. */
async function socketFirstEvent(t: TestApp, token: string | null, id: string): Promise<Seen> {
  const frames = await overSocket(t, token, CLUSTER_CHANGED, { id }, { firstNext: true });
  const first = frames[0] as Frame & { type?: string; payload?: { data?: { clusterChanged?: { id?: string } }; errors?: unknown } };
  if (first?.type === "next" && !first.payload?.errors && first.payload?.data?.clusterChanged?.id === id) return { ok: true };
  return refusal(id, frames);
}

/** A query, a write and the subscription over the socket, as `token` (null: none): through when the cluster (or exec's payload) came back. */
const SOCKET_OPS: { what: string; go(t: TestApp, token: string | null, id: string): Promise<Seen> }[] = [
  {
    what: "query cluster(id)",
    go: async (t, token, id) => {
      const frames = await overSocket(t, token, `query($id: ID!) { cluster(id: $id) { id } }`, { id });
      const next = frames[0] as { type?: string; payload?: { data?: { cluster?: { id?: string } }; errors?: unknown } };
      return next?.type === "next" && !next.payload?.errors && next.payload?.data?.cluster?.id === id ? { ok: true } : refusal(id, frames);
    },
  },
  {
    what: "mutation exec",
    // a refused write leaves the cluster's version as it was
    go: async (t, token, id) => {
      const before = await version(t, id);
      const frames = await overSocket(t, token, `mutation($id: ID!) { exec(input: { clusterId: $id, command: "kubectl get nodes" }) { __typename ... on Error { message } } }`, { id });
      const next = frames[0] as { type?: string; payload?: { data?: { exec?: { __typename?: string } }; errors?: unknown } };
      if (next?.type === "next" && !next.payload?.errors && next.payload?.data?.exec?.__typename === "ExecPayload") return { ok: true };
      const after = await version(t, id);
      return after === before ? refusal(id, frames) : { ok: false, seen: `refused but the version went ${before} → ${after}` };
    },
  },
  { what: "subscription clusterChanged(id)", go: socketFirstEvent },
];

/** Tokens the socket must not take, whoever they name: each crossed with SOCKET_OPS. */
const SOCKET_TOKENS: { how: string; token(token: string, id: string): Promise<string | null> }[] = [
  { how: "an expired token", token: (token) => signToken(AUTH, principalOf(token), -60) },
  { how: "a token signed with another secret", token: (token) => signToken({ ...AUTH, secret: `not-${TEST_SECRET}` }, principalOf(token)) },
  { how: "its cluster (k8s) token", token: (token, id) => clusterToken(token, id) },
  { how: "no token", token: async () => null },
];

function socketDoors(graphql: Door[]): Door[] {
  return [
    // every GraphQL door, over the socket
    ...graphql.map<Door>((d) => ({ ...d, name: `socket: ${d.name}`, call: (t, token, id) => d.call(viaSocket(t), token, id) })),
    { name: `socket: ${SSE}`, takes: "cluster", rule: "readCluster", call: socketFirstEvent },
    // the socket's token checks
    ...SOCKET_TOKENS.flatMap(({ how, token: bad }) =>
      SOCKET_OPS.map<Door>(({ what, go }) => ({ name: `socket: ${what}, ${how}`, takes: "cluster", rule: "nobody", call: async (t, token, id) => go(t, await bad(token, id), id) })),
    ),
  ];
}

// (all but the SSE door, and the cluster-token door: SOCKET_TOKENS crosses a cluster token with the socket's operations)
const graphqlDoors = [...clusterDoors.filter((d) => d.name !== SSE && d.rule !== "nobody"), ...attemptDoors, ...courseDoors];
export const DOORS: Door[] = [...k8sDoors(), ...k8sRoutes, ...clusterDoors, ...attemptDoors, ...courseDoors, ...socketDoors(graphqlDoors)];
