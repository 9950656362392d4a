// Engine benchmark (issue 2 / issue 6): a 1,000-pod / 200-Service cluster built through the public surface, then
// the cost of one mutation plus its reconcile (label, scale, apply), 10,000 routed requests, selector matching,
// and the serialised state (toJSON / fromJSON time, bytes per pod).
//
//   npx tsx bench/engine.ts            (or `npm run bench:engine`)
//
// Targets (issue 2): a mutation plus reconcile < 5 ms (median), 10,000 requests < 50 ms, < 1 KiB serialised per pod.
import { gzipSync } from "node:zlib";
import { Cluster, matchesSelector, parseSelector } from "../engine/index.ts";
import type { NodeSpecInput, Pod, Service } from "../engine/index.ts";
import { isMain, machineLine, now, printTable, row, stats, timeEach, type Row } from "./lib.ts";

export const DEPLOYMENTS = 200;
export const REPLICAS = 5;
const WORKERS = 12; // 1,000 pods need more than the course's two nodes (110 pods and a /24 each)

export function benchTopology(): { nodes: NodeSpecInput[] } {
  const nodes: NodeSpecInput[] = [{ name: "master01", ip: "192.168.2.1", podCIDR: "10.244.0.0/24", roles: ["master"] }];
  for (let i = 1; i <= WORKERS; i++) nodes.push({ name: `node${String(i).padStart(2, "0")}`, ip: `192.168.2.${i + 1}`, podCIDR: `10.244.${i}.0/24` });
  return { nodes };
}

const TIERS = ["frontend", "backend", "cache", "db"];

export function deploymentManifest(i: number, opts: { replicas?: number; image?: string } = {}): string {
  const name = `app${String(i).padStart(3, "0")}`;
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels:
    app: ${name}
spec:
  replicas: ${opts.replicas ?? REPLICAS}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
        tier: ${TIERS[i % TIERS.length]}
        release: ${i % 3 === 0 ? "canary" : "stable"}
    spec:
      containers:
      - name: demoapp
        image: ${opts.image ?? "ikubernetes/demoapp:v1.0"}
        ports:
        - name: http
          containerPort: 80
        readinessProbe:
          httpGet:
            path: /readyz
            port: http
          periodSeconds: 5
`;
}

export function serviceManifest(i: number, extraLabel?: string): string {
  const name = `app${String(i).padStart(3, "0")}`;
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}-svc
  labels:
    app: ${name}${extraLabel ? `\n    rev: "${extraLabel}"` : ""}
spec:
  selector:
    app: ${name}
  ports:
  - name: http
    protocol: TCP
    port: 80
    targetPort: http
`;
}

/** The 1,000-pod / 200-Service cluster: one `apply` per Deployment + Service, then 30 s for readiness probes. */
export function buildCluster(): { c: Cluster; buildMs: number; perApply: ReturnType<typeof stats> } {
  const c = Cluster.create({ seed: 42, topology: benchTopology() });
  const each: number[] = [];
  const t0 = now();
  for (let i = 0; i < DEPLOYMENTS; i++) {
    const t = now();
    const res = c.apply(`${deploymentManifest(i)}---\n${serviceManifest(i)}`);
    each.push(now() - t);
    const err = res.find((r) => r.error);
    if (err) throw new Error(`apply ${i}: ${err.error!.message}`);
  }
  c.advance(30);
  return { c, buildMs: now() - t0, perApply: stats(each) };
}

function ms(s: { median: number; p95: number }): string {
  return `median ${s.median.toFixed(3)} ms, p95 ${s.p95.toFixed(3)} ms`;
}

export async function runEngine(opts: { quick?: boolean } = {}): Promise<Row[]> {
  const rows: Row[] = [];
  const G = "engine";
  const iters = opts.quick ? 50 : 200;

  // Warm the JIT on a small cluster first (the same code paths), then build the real one.
  {
    const w = Cluster.create({ seed: 1, topology: benchTopology() });
    for (let i = 0; i < 20; i++) w.apply(`${deploymentManifest(i)}---\n${serviceManifest(i)}`);
    w.advance(30);
    for (let i = 0; i < 200; i++) w.request({ from: { kind: "node", node: "node01" }, host: (w.get("Service", "app000-svc", "default") as Service).spec.clusterIP!, port: 80 });
    JSON.stringify(w.toJSON());
  }

  const { c, buildMs, perApply } = buildCluster();
  const pods = c.list("Pod", { namespace: "default" }) as Pod[];
  const services = (c.list("Service", { namespace: "default" }) as Service[]).filter((s) => s.metadata.name !== "kubernetes");
  const readyPods = pods.filter((p) => p.status?.conditions?.some((x) => x.type === "Ready" && x.status === "True")).length;
  if (pods.length !== DEPLOYMENTS * REPLICAS || services.length !== DEPLOYMENTS)
    throw new Error(`expected ${DEPLOYMENTS * REPLICAS} pods and ${DEPLOYMENTS} services, got ${pods.length} and ${services.length}`);
  rows.push(row(G, `build: ${DEPLOYMENTS} applies (Deployment+Service) + 30 s`, buildMs, "ms", `per apply ${ms(perApply)}; ${pods.length} pods (${readyPods} Ready), ${services.length} Services`));

  // ---- Mutations (each = the typed operation + reconcile to a fixed point) ----
  const target5 = { op: "<" as const, value: 5, text: "< 5 ms (median)" };
  const labelPod = timeEach(iters, 20, (i) => {
    const p = pods[(i * 7) % pods.length];
    c.label("Pod", p.metadata.name, "default", { set: { rev: `r${i}` }, overwrite: true });
  });
  rows.push(row(G, "label a pod (+ reconcile)", labelPod.median, "ms", `p95 ${labelPod.p95.toFixed(3)} ms`, target5));

  const labelSvc = timeEach(iters, 20, (i) => {
    c.label("Service", services[(i * 13) % services.length].metadata.name, "default", { set: { rev: `r${i}` }, overwrite: true });
  });
  rows.push(row(G, "label a Service (+ reconcile)", labelSvc.median, "ms", `p95 ${labelSvc.p95.toFixed(3)} ms`));

  // Scale up then back down on the same Deployment: every sample creates or deletes one pod.
  const scale = timeEach(iters, 20, (i) => {
    const d = `app${String(Math.floor(i / 2) % DEPLOYMENTS).padStart(3, "0")}`;
    c.scale("Deployment", d, "default", i % 2 === 0 ? REPLICAS + 1 : REPLICAS);
  });
  rows.push(row(G, "scale a Deployment ±1 (+ reconcile)", scale.median, "ms", `p95 ${scale.p95.toFixed(3)} ms`, target5));

  const applySvc = timeEach(iters, 20, (i) => {
    const r = c.apply(serviceManifest(i % DEPLOYMENTS, `r${i}`));
    if (r[0].error || r[0].action !== "configured") throw new Error(`apply service: ${r[0].error?.message ?? r[0].action}`);
  });
  rows.push(row(G, "apply one Service, configured (+ reconcile)", applySvc.median, "ms", `p95 ${applySvc.p95.toFixed(3)} ms`, target5));

  const applyUnchanged = timeEach(iters, 20, (i) => {
    const r = c.apply(deploymentManifest(i % DEPLOYMENTS));
    if (r[0].error) throw new Error(`apply deployment: ${r[0].error.message}`);
  });
  rows.push(row(G, "apply one Deployment, unchanged (+ reconcile)", applyUnchanged.median, "ms", `p95 ${applyUnchanged.p95.toFixed(3)} ms`));

  // A template change starts a rollout: new ReplicaSet, 5 new pods, old ones go as new ones become ready.
  const rollout = timeEach(opts.quick ? 10 : 40, 4, (i) => {
    const r = c.apply(deploymentManifest(100 + (i % 50), { image: `ikubernetes/demoapp:v1.${1 + (i % 2)}` }));
    if (r[0].error) throw new Error(`apply deployment: ${r[0].error.message}`);
  });
  rows.push(row(G, "apply one Deployment, new image (+ reconcile)", rollout.median, "ms", `p95 ${rollout.p95.toFixed(3)} ms (rollout starts)`));

  const adv = timeEach(opts.quick ? 10 : 40, 4, () => c.advance(5));
  rows.push(row(G, "advance 5 s (probes + reconcile)", adv.median, "ms", `p95 ${adv.p95.toFixed(3)} ms`));
  c.advance(60); // let the rollouts finish

  // ---- 10,000 routed requests: node → ClusterIP:80, spread over every node and Service ----
  const nodes = c.hosts().map((h) => h.name);
  const svcIPs = (c.list("Service", { namespace: "default" }) as Service[]).filter((s) => s.metadata.name !== "kubernetes").map((s) => s.spec.clusterIP!);
  const N = 10_000;
  const reqs = Array.from({ length: N }, (_, i) => ({ from: { kind: "node" as const, node: nodes[i % nodes.length] }, host: svcIPs[(i * 31) % svcIPs.length], port: 80 }));
  let okCount = 0;
  const batch = timeEach(opts.quick ? 3 : 7, 2, () => {
    okCount = 0;
    for (const r of reqs) if (c.request(r).ok) okCount++;
  });
  if (okCount !== N) throw new Error(`only ${okCount} of ${N} requests succeeded`);
  rows.push(row(G, "10,000 requests node → ClusterIP", batch.median, "ms", `${Math.round(N / (batch.median / 1000)).toLocaleString("en-US")} req/s; all ok`, { op: "<", value: 50, text: "< 50 ms" }));

  // The same from pods by Service DNS name (resolution + SNAT path), for comparison.
  const livePods = (c.list("Pod", { namespace: "default" }) as Pod[]).filter((p) => p.status?.phase === "Running").map((p) => p.metadata.name);
  const svcNames = services.map((s) => s.metadata.name);
  const podReqs = Array.from({ length: N }, (_, i) => ({ from: { kind: "pod" as const, pod: livePods[(i * 17) % livePods.length] }, host: svcNames[(i * 31) % svcNames.length], port: 80 }));
  const podBatch = timeEach(opts.quick ? 3 : 5, 1, () => {
    for (const r of podReqs) c.request(r);
  });
  rows.push(row(G, "10,000 requests pod → Service DNS name", podBatch.median, "ms", `${Math.round(N / (podBatch.median / 1000)).toLocaleString("en-US")} req/s`));

  // ---- Selector matching over the pods' labels ----
  const labels = (c.list("Pod", { namespace: "default" }) as Pod[]).map((p) => p.metadata.labels ?? {});
  const selTexts: string[] = [];
  for (let i = 0; i < DEPLOYMENTS; i++) {
    const name = `app${String(i).padStart(3, "0")}`;
    switch (i % 5) {
      case 0: selTexts.push(`app=${name}`); break;
      case 1: selTexts.push(`app=${name},tier=${TIERS[i % 4]}`); break;
      case 2: selTexts.push(`tier in (frontend,backend),release!=canary`); break;
      case 3: selTexts.push(`app notin (${name},app000),!missing`); break;
      default: selTexts.push(`release,tier notin (db)`); break;
    }
  }
  const parse = timeEach(5, 2, () => {
    for (let k = 0; k < 10; k++) for (const t of selTexts) parseSelector(t);
  });
  rows.push(row(G, "parseSelector", (10 * selTexts.length) / (parse.median / 1000), "parses/s", `${selTexts.length} selectors ×10 in ${parse.median.toFixed(2)} ms`));
  const sels = selTexts.map((t) => parseSelector(t));
  let hits = 0;
  const match = timeEach(5, 2, () => {
    hits = 0;
    for (const s of sels) for (const l of labels) if (matchesSelector(s, l)) hits++;
  });
  const pairs = sels.length * labels.length;
  rows.push(row(G, "matchesSelector", pairs / (match.median / 1000), "matches/s", `${sels.length} selectors × ${labels.length} pods = ${pairs.toLocaleString("en-US")} in ${match.median.toFixed(2)} ms (${hits} hits)`));

  // ---- Serialisation ----
  const podCount = c.list("Pod").length;
  const toJ = timeEach(opts.quick ? 5 : 15, 3, () => c.toJSON());
  const stateObj = c.toJSON();
  const text = JSON.stringify(stateObj);
  const bytes = Buffer.byteLength(text);
  const gz = gzipSync(text).length;
  const str = timeEach(opts.quick ? 5 : 15, 3, () => JSON.stringify(c.toJSON()));
  const fromStr = timeEach(opts.quick ? 5 : 15, 3, () => Cluster.fromJSON(text));
  const fromObj = timeEach(opts.quick ? 5 : 15, 3, () => Cluster.fromJSON(stateObj));
  // Round trip must be exact.
  if (JSON.stringify(Cluster.fromJSON(text).toJSON()) !== text) throw new Error("fromJSON(toJSON) is not byte-identical");
  rows.push(row(G, "toJSON()", toJ.median, "ms", `p95 ${toJ.p95.toFixed(2)} ms`));
  rows.push(row(G, "JSON.stringify(toJSON())", str.median, "ms", `p95 ${str.p95.toFixed(2)} ms`));
  rows.push(row(G, "fromJSON(string)", fromStr.median, "ms", `p95 ${fromStr.p95.toFixed(2)} ms`));
  rows.push(row(G, "fromJSON(object)", fromObj.median, "ms", `p95 ${fromObj.p95.toFixed(2)} ms`));
  const parts = Object.entries(stateObj as unknown as Record<string, unknown>)
    .map(([k, v]) => [k, Buffer.byteLength(JSON.stringify(v) ?? "")] as const)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([k, b]) => `${k} ${Math.round(b / 1024)} KiB`)
    .join(", ");
  rows.push(row(G, "serialised state", bytes / 1024, "KiB", `${podCount} pods; gzip ${Math.round(gz / 1024)} KiB; largest: ${parts}`));
  rows.push(row(G, "serialised bytes per pod", bytes / podCount, "B", `gzip ${Math.round(gz / podCount)} B/pod`, { op: "<", value: 1024, text: "< 1 KiB" }));
  return rows;
}

if (isMain(import.meta.url)) {
  const quick = process.argv.includes("--quick");
  console.log(`kubelab engine bench — ${new Date().toISOString()} — ${machineLine()}`);
  const rows = await runEngine({ quick });
  printTable("engine", rows);
  const missed = rows.filter((r) => r.target && !r.met);
  console.log(missed.length ? `\n${missed.length} target(s) not met` : "\nall engine targets met");
}
