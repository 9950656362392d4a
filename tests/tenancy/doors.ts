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
// Adding a door (a new API, a new page's data): write its `call` with the helpers below (gql, sse, or a plain
// fetch for REST: `http(t, token, method, path)`), pick its rule, push it onto DOORS. Nothing else changes: the
// table crosses it with every principal and every target of its kind.
import type { TestApp } from "../helpers/db-app.ts";
import type { RuleName } from "./rules.ts";

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
    name: "subscription clusterChanged(id)",
    takes: "cluster",
    rule: "readCluster",
    call: (t, token, id) => sseFirst(t, token, `subscription($id: ID!) { clusterChanged(id: $id) { id version } }`, id),
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
];

const attemptDoors: Door[] = [
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

export const DOORS: Door[] = [...clusterDoors, ...attemptDoors, ...courseDoors];
