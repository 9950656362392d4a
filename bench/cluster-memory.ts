// Memory per hydrated lab cluster, in process (no server, no database): what the class bench's memory step
// measures through the API, here in seconds and broken down by part of the state.
//   node --expose-gc --import tsx bench/cluster-memory.ts [n=1000] [lab=clusterip-services] [--parts]
// Each cluster is parsed from the stored text of its own copy of one lab cluster (distinct strings, as rows read
// from PostgreSQL are), runs `kubectl get pods -o wide` between two change marks and is saved (toJSONText), as an
// exec through the API does.
import { labCatalog } from "../labs/catalog.ts";
import { Cluster } from "../engine/index.ts";

const args = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const n = Number(args[0] ?? 1000);
const slug = args[1] ?? "clusterip-services";
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc");

function heap(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}

const template = labCatalog.createCluster(slug, 5000).toJSONText();
// distinct texts, as each row is its own string (the template's bytes, a different seed digit in no field that matters)
const texts = Array.from({ length: n }, (_, i) => (template + " ".repeat(i % 7)).slice(0));
const warm = Cluster.fromJSON(template);
for (let i = 0; i < 20; i++) {
  warm.exec("kubectl get pods -o wide");
  warm.toJSONText();
}
const h0 = heap();
const clusters: Cluster[] = [];
let saveMs = 0;
for (const t of texts) {
  const c = Cluster.fromJSON(t);
  // the mutation path's change mark around the command (engine/change-mark.ts), as the API takes it
  const mark = c.changeMark?.();
  c.exec("kubectl get pods -o wide");
  if (c.changeMark?.() !== mark) throw new Error("a read moved the change mark");
  const s = performance.now();
  c.toJSONText();
  saveMs += performance.now() - s;
  clusters.push(c);
}
texts.length = 0;
const h1 = heap();
console.log(`${slug}: ${((h1 - h0) / n / 1024).toFixed(1)} KiB per hydrated cluster (${n}); first save ${(saveMs / n).toFixed(3)} ms each`);

// a save after a one-object change (what a mutation pays): label one pod, then toJSONText, median of n
const times: number[] = [];
for (const c of clusters.slice(0, Math.min(n, 500))) {
  const pod = Object.keys(c.state.pods).find((k) => k.startsWith("default/"))!;
  c.label("Pod", pod.slice(8), "default", { set: { bench: String(times.length) }, remove: [], overwrite: true } as never);
  const s = performance.now();
  c.toJSONText();
  times.push(performance.now() - s);
}
times.sort((a, b) => a - b);
console.log(`save after a label: median ${(times[times.length >> 1] * 1000).toFixed(0)} µs, p90 ${(times[Math.floor(times.length * 0.9)] * 1000).toFixed(0)} µs`);

if (process.argv.includes("--parts")) {
  // what each part of the state holds: drop it from every cluster and see the heap fall
  let prev = heap();
  for (const key of Object.keys(clusters[0].state)) {
    for (const c of clusters) (c.state as unknown as Record<string, unknown>)[key] = null;
    const h = heap();
    console.log(`  ${key.padEnd(16)} ${((prev - h) / n / 1024).toFixed(2)} KiB`);
    prev = h;
  }
  console.log(`  ${"(rest)".padEnd(16)} ${((prev - h0) / n / 1024).toFixed(2)} KiB`);
}

if (process.argv.includes("--system")) {
  // kube-system's entries (derived: kubeadm/) against the rest, table by table
  let prev = heap();
  for (const t of ["pods", "deployments", "replicasets", "daemonsets", "services", "endpoints", "endpointslices"] as const) {
    for (const c of clusters) {
      const table = c.state[t] as Record<string, unknown>;
      for (const k of Object.keys(table)) if (k.startsWith("kube-system/")) delete table[k];
    }
    const h = heap();
    console.log(`  kube-system ${t.padEnd(16)} ${((prev - h) / n / 1024).toFixed(2)} KiB`);
    prev = h;
  }
}

if (process.argv.includes("--share")) {
  // upper bound of sharing kube-system's spec subtrees: every cluster points at cluster 0's
  const h0s = heap();
  const s0 = clusters[0].state;
  for (const c of clusters.slice(1)) {
    const st = c.state;
    for (const [k, p] of Object.entries(st.pods)) if (k.startsWith("kube-system/") && p.spec) p.spec = s0.pods[k].spec;
    for (const [k, d] of Object.entries(st.daemonsets)) d.spec.template = s0.daemonsets[k].spec.template;
    for (const [k, d] of Object.entries(st.deployments)) if (k.startsWith("kube-system/")) d.spec.template = s0.deployments[k].spec.template;
    for (const [k, d] of Object.entries(st.replicasets)) if (k.startsWith("kube-system/")) d.spec.template = s0.replicasets[k].spec.template;
  }
  const h1s = heap();
  console.log(`  sharing kube-system templates and static pod specs: -${((h0s - h1s) / n / 1024).toFixed(2)} KiB`);
  for (const c of clusters.slice(1)) {
    const st = c.state;
    for (const [k, nd] of Object.entries(st.nodes)) { nd.status = s0.nodes[k].status; }
  }
  const h2s = heap();
  console.log(`  sharing nodes' status: -${((h1s - h2s) / n / 1024).toFixed(2)} KiB`);
  for (const c of clusters.slice(1)) {
    const st = c.state;
    for (const [k, p] of Object.entries(st.pods)) if (k.startsWith("kube-system/")) { p.annotations = s0.pods[k].annotations; p.c = s0.pods[k].c; p.labels = s0.pods[k].labels; }
    for (const t of ["daemonsets", "deployments", "replicasets", "services", "endpoints", "endpointslices"] as const)
      for (const [k, o] of Object.entries(st[t] as Record<string, any>)) if (k.startsWith("kube-system/")) { o.metadata = (s0[t] as any)[k].metadata; o.status = (s0[t] as any)[k].status; }
  }
  const h3s = heap();
  console.log(`  sharing kube-system metadata, status, pods' c: -${((h2s - h3s) / n / 1024).toFixed(2)} KiB`);
}
