// The engine's read path on a lab cluster: CPU time per read-only command (the labs' commonest reads), the command
// alone, in process — what an exec through the API spends in the engine when it changes nothing.
//
//   npx tsx bench/engine-reads.ts [rounds=5] [n=400] [lab=clusterip-services]
//
// Each round runs every command n times on the same hydrated cluster (as the API's engine cache keeps it) and
// reports the process CPU time (user + system) per command; the table gives each command's median over the rounds.
// A warm-up round first (JIT). Every command's output is checked to be the same on every call.
import { labCatalog, getLab } from "../labs/catalog.ts";
import { Cluster } from "../engine/index.ts";

const args = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const rounds = Number(args[0] ?? 5);
const n = Number(args[1] ?? 400);
const slug = args[2] ?? "clusterip-services";

export const READS = [
  "kubectl get pods",
  "kubectl get pods -o wide",
  "kubectl get pods --show-labels",
  "kubectl get pods -l app=demoapp -o wide --show-labels",
  "kubectl get svc",
  "kubectl get ep",
  "kubectl describe svc demoapp-svc",
  "kubectl get pods -o yaml",
  "curl 10.97.72.1",
];

function labCluster(): Cluster {
  const lab = getLab(slug);
  if (!lab) throw new Error(`unknown lab ${slug}`);
  const c = labCatalog.createCluster(slug, 5000);
  // the lab's solution up to its first `sleep` (the Service made, the Deployment scaled)
  for (const e of lab.solution) {
    if (/^(sleep|wait) /.test(e.line)) break;
    c.exec(e.line, { host: e.host, stdin: e.stdin });
  }
  // as the API's engine cache holds it: restored from the stored text
  return Cluster.fromJSON(c.toJSONText());
}

function cpuUs(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

const c = labCluster();
const first = new Map<string, string>();
for (const line of READS) {
  const r = c.exec(line, { host: line.startsWith("curl") ? "node01" : undefined });
  first.set(line, r.stdout + r.stderr);
}
const per = new Map<string, number[]>(READS.map((l) => [l, []]));
for (let round = -1; round < rounds; round++) {
  for (const line of READS) {
    const host = line.startsWith("curl") ? "node01" : undefined;
    const t0 = cpuUs();
    for (let i = 0; i < n; i++) {
      const r = c.exec(line, { host });
      // curl answers from a different pod each time; only the kubectl reads are the same every call
      if (!line.startsWith("curl") && r.stdout + r.stderr !== first.get(line)) throw new Error(`${line}: output changed`);
    }
    const us = (cpuUs() - t0) / n;
    if (round >= 0) per.get(line)!.push(us);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`lab ${slug}, ${Object.keys(c.state.pods).length} pods; ${rounds} rounds of ${n} calls; CPU µs per command (median, min–max of rounds)`);
for (const line of READS) {
  const xs = per.get(line)!;
  console.log(`${median(xs).toFixed(1).padStart(8)}  ${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}  ${line}`);
}
