// The Kubernetes API facade against GraphQL, in one process and one run: server CPU per request (user + system,
// through app.fetch, 8 students in closed loops) for
//   - `kubectl get pods`: GET .../pods with kubectl's Table Accept header  vs  query { cluster { pods { … } } }
//   - a label: PATCH (merge patch of metadata.labels, what kubectl label sends)  vs  mutation label
// Target: the facade at most 1.5× the GraphQL CPU for the same operation.
//   npx tsx bench/k8s-api.ts [--quick]          (needs PostgreSQL: DATABASE_URL or the local server)
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { createApp, silentLogger } from "../api/app.ts";
import { DEFAULT_ISSUER } from "../api/auth.ts";
import { databaseForUrl } from "../api/db/node.ts";
import { signClusterToken } from "../api/k8s/token.ts";
import { freshDatabase } from "./db.ts";
import { benchSaves } from "./api-app.ts";
import { setupStudents, type Send } from "./api-ops.ts";
import { isMain, machineLine, printTable, row, type Row } from "./lib.ts";

const CLIENTS = 8;
const TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
const PODS = `query($id: ID!) { cluster(id: $id) { pods { name ready phase restarts ip node labels createdAt } } }`;
const LABEL_POD = `mutation($id: ID!, $t: String!, $v: String!) { label(input: { clusterId: $id, target: $t, set: [{ key: "rev", value: $v }], overwrite: true }) { __typename ... on LabelPayload { exitCode } ... on Error { message } } }`;

export async function runK8sApi(opts: { quick?: boolean } = {}): Promise<Row[]> {
  const db = await freshDatabase("kubelab_bench_k8s");
  const database = databaseForUrl(db.url, { max: 10 });
  const secret = randomBytes(32).toString("base64url");
  const app = createApp({ prisma: database.prisma, sql: database.sql, jwtSecret: secret, production: true, logger: silentLogger, saves: benchSaves(database.sql) });
  const send: Send = async (query, variables, token) => {
    const res = await app.fetch("http://bench/graphql", { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
    const body = (await res.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
    if (body.errors?.length) throw new Error(body.errors[0].message);
    return body.data!;
  };
  const rows: Row[] = [];
  try {
    const students = await setupStudents(send, secret, CLIENTS, "k8s");
    const auth = { secret, issuer: DEFAULT_ISSUER, audience: "" };
    const kube = await Promise.all(students.map((s, k) => signClusterToken(auth, { sub: `k8s-${k}`, role: "student", course: "bench-course", cluster: s.clusterId })));
    const pod = await Promise.all(
      students.map(async (s) => ((await send(PODS, { id: s.clusterId }, s.token)) as { cluster: { pods: { name: string }[] } }).cluster.pods[0].name),
    );
    const k8s = async (k: number, method: string, path: string, headers: Record<string, string>, body?: string) => {
      const res = await app.fetch(`https://bench/k8s/clusters/${students[k].clusterId}${path}`, { method, headers: { authorization: `Bearer ${kube[k]}`, "user-agent": "kubectl/v1.20.2 (linux/amd64) kubernetes/faecb19", ...headers }, body });
      const text = await res.text();
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
      return text;
    };
    const ops: Record<string, (k: number, i: number) => Promise<unknown>> = {
      "kubectl get pods (Table)": (k) => k8s(k, "GET", "/api/v1/namespaces/default/pods?limit=500", { accept: TABLE }),
      "GraphQL pods": (k) => send(PODS, { id: students[k].clusterId }, students[k].token),
      "kubectl label (merge PATCH)": (k, i) =>
        k8s(k, "PATCH", `/api/v1/namespaces/default/pods/${pod[k]}`, { "content-type": "application/merge-patch+json", accept: "application/json" }, JSON.stringify({ metadata: { labels: { rev: `k${i}` } } })),
      "GraphQL label": (k, i) => send(LABEL_POD, { id: students[k].clusterId, t: `pod/${pod[k]}`, v: `g${i}` }, students[k].token),
    };
    const next = students.map(() => 0);
    const loop = async (fn: (k: number, i: number) => Promise<unknown>, ms: number) => {
      const end = performance.now() + ms;
      let n = 0;
      await Promise.all(
        students.map(async (_s, k) => {
          while (performance.now() < end) {
            await fn(k, next[k]++);
            n++;
          }
        }),
      );
      return n;
    };
    const cpuMs: Record<string, number> = {};
    for (const [name, fn] of Object.entries(ops)) {
      await loop(fn, opts.quick ? 500 : 1500);
      const c0 = process.cpuUsage();
      const n = await loop(fn, opts.quick ? 1500 : 4000);
      const c = process.cpuUsage(c0);
      cpuMs[name] = (c.user + c.system) / 1000 / n;
      rows.push(row("k8s-api", `${name}: server CPU per request`, cpuMs[name], "ms", `${n} requests`));
    }
    const ratio = (a: string, b: string) => cpuMs[a] / cpuMs[b];
    rows.push(row("k8s-api", "get pods: facade / GraphQL CPU", ratio("kubectl get pods (Table)", "GraphQL pods"), "x", undefined, { op: "<=", value: 1.5, text: "≤ 1.5x" }));
    rows.push(row("k8s-api", "label: facade / GraphQL CPU", ratio("kubectl label (merge PATCH)", "GraphQL label"), "x", undefined, { op: "<=", value: 1.5, text: "≤ 1.5x" }));
  } finally {
    await database.close();
    await db.drop();
  }
  return rows;
}

if (isMain(import.meta.url)) {
  console.log(`kubelab Kubernetes API facade bench — ${new Date().toISOString()} — ${machineLine()}`);
  printTable("k8s-api", await runK8sApi({ quick: process.argv.includes("--quick") }));
}
