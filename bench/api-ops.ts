// The API operations the benchmarks send, and what counts as success, shared by the HTTP load (api-load.ts) and the
// in-process CPU measurement (api-cpu.ts), so both measure the same mutations answered the same way. `Send` is how a
// benchmark reaches the API: over HTTP, or through app.fetch.
import { signToken, DEFAULT_AUDIENCE, DEFAULT_ISSUER } from "../api/auth.ts";
import { DEMOAPP, demoappService } from "./fixtures.ts";

/** Runs one GraphQL operation as the holder of `token`; resolves to `data`, rejects on GraphQL or HTTP errors. */
export type Send = (query: string, variables: Record<string, unknown>, token: string) => Promise<Record<string, unknown>>;

export const CREATE = `mutation($name: String!, $seed: Int) {
  createCluster(input: { name: $name, seed: $seed }) {
    __typename ... on CreateClusterPayload { cluster { id } } ... on Error { message }
  }
}`;
export const APPLY = `mutation($id: ID!, $yaml: String!) {
  applyManifest(input: { clusterId: $id, yaml: $yaml }) {
    __typename ... on ApplyManifestPayload { exitCode stderr } ... on Error { message }
  }
}`;
export const LABEL = `mutation($id: ID!, $key: String!, $value: String!) {
  label(input: { clusterId: $id, target: "svc/demoapp-svc", set: [{ key: $key, value: $value }], overwrite: true }) {
    __typename ... on LabelPayload { exitCode results { changed } } ... on Error { message }
  }
}`;
const SEND = `mutation($id: ID!, $url: String!) {
  sendRequests(input: { clusterId: $id, from: "node/node01", url: $url, count: 10 }) {
    __typename ... on SendRequestsPayload { distribution { backend count } } ... on Error { message }
  }
}`;
export const SERVICES = `query($id: ID!) { cluster(id: $id) { services { name clusterIP labels } } }`;

/** A mutation's payload, or throw with its typed error (a union member implementing Error). */
export function payload(data: Record<string, unknown>, field: string): Record<string, unknown> {
  const p = data[field] as { __typename: string; message?: string } | undefined;
  if (!p) throw new Error(`no ${field} in the answer`);
  if (p.message !== undefined && !p.__typename.endsWith("Payload")) {
    const e = new Error(`${p.__typename}: ${p.message}`);
    (e as Error & { typename?: string }).typename = p.__typename;
    throw e;
  }
  return p as Record<string, unknown>;
}

export interface Student {
  token: string;
  clusterId: string;
  clusterIP: string;
}

/** `n` students, each with a cluster holding demoapp (3 pods) and demoapp-svc. */
export async function setupStudents(send: Send, secret: string, n: number, prefix: string): Promise<Student[]> {
  const cfg = { secret, issuer: DEFAULT_ISSUER, audience: DEFAULT_AUDIENCE };
  const out: Student[] = [];
  for (let k = 0; k < n; k++) {
    const token = await signToken(cfg, { sub: `${prefix}-${k}`, role: "student", course: "bench-course" });
    const c = payload(await send(CREATE, { name: "bench", seed: 1000 + k }, token), "createCluster") as { cluster: { id: string } };
    const id = c.cluster.id;
    const a = payload(await send(APPLY, { id, yaml: DEMOAPP }, token), "applyManifest") as { exitCode: number; stderr: string };
    if (a.exitCode !== 0) throw new Error(`apply demoapp: ${a.stderr}`);
    const q = (await send(SERVICES, { id }, token)) as { cluster: { services: { name: string; clusterIP: string }[] } };
    const svc = q.cluster.services.find((s) => s.name === "demoapp-svc");
    if (!svc) throw new Error("demoapp-svc missing");
    out.push({ token, clusterId: id, clusterIP: svc.clusterIP });
  }
  return out;
}

export const OPS = ["label", "applyManifest", "sendRequests(10)"] as const;
/** Not a mutation: what a lab frontend reads after each command (api-cpu measures it; no raw-pg ratio applies). */
export const READS = ["read cluster"] as const;
export type Op = (typeof OPS)[number] | (typeof READS)[number];

const READ = `query($id: ID!) { cluster(id: $id) { version now pods { name ready ip } services { name clusterIP } endpoints { name addresses { ip } } } }`;

/** Client `c`'s `i`-th `op` on student `s`'s cluster; rejects unless it did what it asked. */
export function runOp(send: Send, op: Op, s: Student, c: number, i: number): Promise<void> {
  switch (op) {
    case "label":
      return send(LABEL, { id: s.clusterId, key: "rev", value: `c${c}-${i}` }, s.token).then((d) => void payload(d, "label"));
    case "applyManifest":
      return send(APPLY, { id: s.clusterId, yaml: demoappService(`c${c}-${i}`) }, s.token).then((d) => {
        const p = payload(d, "applyManifest") as { exitCode: number; stderr: string };
        if (p.exitCode !== 0) throw new Error(`apply: ${p.stderr}`);
      });
    case "sendRequests(10)":
      return send(SEND, { id: s.clusterId, url: `http://${s.clusterIP}` }, s.token).then((d) => {
        const p = payload(d, "sendRequests") as { distribution: { backend: string; count: number }[] };
        if (p.distribution.some((x) => x.backend.startsWith("error:"))) throw new Error(`requests failed: ${JSON.stringify(p.distribution)}`);
      });
    case "read cluster":
      return send(READ, { id: s.clusterId }, s.token).then((d) => {
        const cl = (d as { cluster: { pods: { ready: boolean }[]; endpoints: { name: string; addresses: unknown[] }[] } | null }).cluster;
        const ep = cl?.endpoints.find((e) => e.name === "demoapp-svc");
        if (!cl || cl.pods.length !== 3 || !cl.pods.every((p) => p.ready) || ep?.addresses.length !== 3) throw new Error(`read: not the student's cluster of 3 ready pods: ${JSON.stringify(cl)}`);
      });
  }
}
